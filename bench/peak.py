"""Run a Python script (or -c code) in this very process and write its peak memory to BENCH_PEAK_FILE at exit.

A child's ru_maxrss also counts the memory of the process it was forked from, until it called exec;
/proc/self/status (VmHWM) counts only this process image, so the figure is the command's own.
"""

import atexit
import os
import runpy
import sys
from pathlib import Path


def _write_peak() -> None:
    status = Path("/proc/self/status").read_text()
    peak = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    Path(os.environ["BENCH_PEAK_FILE"]).write_text(peak)  # KiB


atexit.register(_write_peak)
args = sys.argv[1:]
if args[0] == "-c":
    sys.argv = ["-c", *args[2:]]
    exec(compile(args[1], "<string>", "exec"), {"__name__": "__main__"})  # noqa: S102 (our own command line)
else:
    sys.argv = args
    sys.path.insert(0, str(Path(args[0]).resolve().parent))
    runpy.run_path(args[0], run_name="__main__")
