#!/usr/bin/env python3
from koers.cli import main

if __name__ == "__main__":
    main()
