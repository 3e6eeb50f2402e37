"""Runs a command with io_uring's system calls refused (EPERM), as a container runtime's seccomp profile does.

usage: python3 without-io_uring.py COMMAND [ARG...]
The filter is inherited across exec, so the command and everything it starts see a kernel that refuses io_uring.
Needs libseccomp's Python binding (Debian: python3-seccomp), which scripts/test installs.
"""
import errno
import os
import sys

import seccomp

rules = seccomp.SyscallFilter(seccomp.ALLOW)
for call in ("io_uring_setup", "io_uring_enter", "io_uring_register"):
    rules.add_rule(seccomp.ERRNO(errno.EPERM), call)
rules.load()
os.execvp(sys.argv[1], sys.argv[1:])
