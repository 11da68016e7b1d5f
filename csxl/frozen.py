"""Entry point of the frozen `csxl` executable (see build.spec).

`freeze_support` lets `csxl batch --data` start its worker processes from a Windows exe,
where a worker is the exe itself started again; elsewhere it does nothing.
"""

from __future__ import annotations

import multiprocessing

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from csxl.cli import main

    main()
