"""`python -m generator` is `disclose`."""

from generator.cli import main

main()
