"""What the integrity scan (:mod:`course.integrity`) knows: the modules, hooks and calls it looks for.

Kept apart from the scan's logic so that a reviewer can read in one place
what counts as a patch, a hook or a file operation, and which paths count as
the grader's (:func:`reach`).
"""

from __future__ import annotations

import enum
import fnmatch
import re

# The from-scratch rule of every lesson: these do the work for you.
BANNED_MODULES = frozenset({"sklearn", "torch", "tensorflow", "keras", "jax"})
# Modules whose functions the hidden tests call; changing them changes the tests.
PROTECTED_MODULES = frozenset({"numpy", "math", "builtins"})
# Names bound to a module by Python itself or by every lesson's setup cell.
DEFAULT_NAMES = {
    "np": "numpy",
    "numpy": "numpy",
    "math": "math",
    "builtins": "builtins",
    "__builtins__": "builtins",
    "sys": "sys",
}
# What nbgrader keeps in a course directory: files anywhere, folders at its top.
GRADER_FILES = frozenset({"gradebook.db", "nbgrader_config.py"})
COURSE_ITEMS = GRADER_FILES | {"source", "release", "submitted", "autograded", "feedback"}
# Parts of ``sys`` that decide how modules load and how errors are shown.
SYS_HOOKS = frozenset({"modules", "meta_path", "path_hooks", "path_importer_cache", "excepthook", "displayhook"})
TRACE_HOOKS = frozenset(
    {
        "sys.settrace",
        "sys.setprofile",
        "sys.addaudithook",
        "threading.settrace",
        "threading.setprofile",
        "threading.settrace_all_threads",
        "threading.setprofile_all_threads",
    }
)
# IPython's hooks into how a cell's text is read, run and its errors shown.
IPYTHON_HOOKS = frozenset(
    {
        "set_custom_exc",
        "ast_transformers",
        "input_transformers_post",
        "input_transformers_cleanup",
        "input_transformer_manager",
    }
)
# Methods that change a dict or list in place (``sys.meta_path.insert``).
MUTATORS = frozenset(
    {
        "append",
        "insert",
        "extend",
        "update",
        "setdefault",
        "pop",
        "popitem",
        "remove",
        "clear",
        "__setitem__",
        "__delitem__",
    }
)
# Functions and methods that open, read, list, copy, move or probe what a path names
# (``pd.read_*`` by prefix); the path is any argument, or the receiver for pathlib.
FILE_CALLS = frozenset(
    {
        "open",
        "listdir",
        "scandir",
        "walk",
        "stat",
        "lstat",
        "access",
        "exists",
        "lexists",
        "isfile",
        "isdir",
        "is_file",
        "is_dir",
        "getsize",
        "getmtime",
        "glob",
        "iglob",
        "rglob",
        "iterdir",
        "read_text",
        "read_bytes",
        "read",
        "copy",
        "copy2",
        "copyfile",
        "copytree",
        "move",
        "rmtree",
        "remove",
        "unlink",
        "rename",
        "symlink",
        "readlink",
        "chdir",
        "load",
        "loadtxt",
        "genfromtxt",
        "fromfile",
        "memmap",
        "imread",
        "connect",
    }
)
# Calls whose string arguments are command lines (IPython's ``!cat`` and ``%run`` become these).
SHELL_CALLS = frozenset(
    {
        "system",
        "popen",
        "getoutput",
        "run",
        "call",
        "check_call",
        "check_output",
        "Popen",
        "run_line_magic",
        "run_cell_magic",
    }
)
PATH_TYPES = frozenset({"Path", "PurePath", "PosixPath", "PurePosixPath", "WindowsPath", "PureWindowsPath"})
PATH_JOINS = frozenset({"os.path.join", "posixpath.join", "ntpath.join"})
# Calls that return their (first) path argument, or their receiver, in another form.
PATH_SAME = frozenset({"abspath", "normpath", "realpath", "expanduser", "fspath", "resolve", "absolute"})
CODE_RUNNERS = frozenset({"exec", "eval", "compile", "builtins.exec", "builtins.eval", "builtins.compile"})
IMPORTERS = frozenset({"__import__", "builtins.__import__", "importlib.import_module"})
# A piece of a path that is only known at run time.
UNKNOWN = "\0"
# Deepest ``exec("...")`` inside ``exec("...")`` whose literal text is scanned too.
MAX_NESTING = 3

# A banned import breaks the from-scratch rule, which the rubric scores under
# code quality; the correctness of the numbers is not in doubt.
BANNED_IMPORT_COSTS = "code_quality"


class Reach(enum.Enum):
    """Where a literal path leads, as far as its text tells."""

    NOWHERE = "nowhere"  # the learner's own files, or unknown
    COURSE = "course"  # the grader's files
    ELSEWHERE = "elsewhere"  # names a course folder, but outside the course


def reach(path: str, course: str | None = None) -> Reach:
    """Whether ``path`` points at the grader's files.

    It does when it names a grader file (``gradebook.db``) anywhere, when it
    climbs out of its folder (``../``) into a name of the course directory's
    top (``../../../source``, ``../../*``), or when it is an absolute path
    inside ``course``. An absolute path elsewhere that names a course folder
    is outside the course; a path down from the working directory
    (``data/source/x.csv``) is the learner's own.
    """
    text = path.replace("\\", "/")
    absolute = text.startswith(("/", "~")) or bool(re.match(r"[A-Za-z]:/", text))
    parts: list[str] = []
    for part in text.split("/"):
        if part == ".." and parts and parts[-1] != ".." and UNKNOWN not in parts[-1]:
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    lowered = [part.lower() for part in parts]
    if GRADER_FILES & set(lowered):
        return Reach.COURSE
    if absolute:
        inside = course is not None and ("/" + "/".join(parts) + "/").startswith(course.rstrip("/") + "/")
        return Reach.COURSE if inside else Reach.ELSEWHERE if COURSE_ITEMS & set(lowered) else Reach.NOWHERE
    climbs = next((i for i, part in enumerate(parts) if part != ".."), len(parts))
    if (
        0 < climbs < len(parts)
        and UNKNOWN not in parts[climbs]
        and any(fnmatch.fnmatchcase(item, lowered[climbs]) for item in COURSE_ITEMS)
    ):
        return Reach.COURSE
    return Reach.NOWHERE
