"""``python -m maatwerk_cli``: the same as the ``maatwerk`` command."""

from maatwerk_cli.cli import main

if __name__ == "__main__":
    main()
