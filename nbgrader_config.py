"""nbgrader configuration for the course. The course directory is the folder
holding this file; the `course` CLI always runs nbgrader from it."""

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "ml-coding-interviews"

# A cell that runs longer than this is interrupted and scores zero; the
# slowest reference solution needs a few seconds per cell.
c.Execute.timeout = 120

# Stubs the learner replaces.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"


# Kernels log only errors: ipykernel otherwise warns on every start that its
# local TCP connection is unencrypted, which buries the grader's own output.
c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"]

# Pages built from a submission (the feedback, the Formgrader's view of it)
# show the learner's HTML as inert text: no script of theirs runs in the
# instructor's browser. See course/sanitize.py for what is kept and why two
# of nbconvert's filters are replaced.
c.HTMLExporter.sanitize_html = True
c.HTMLExporter.filters = {
    "clean_html": "course.sanitize.clean_html",
    "strip_files_prefix": "course.sanitize.strip_files_prefix_and_clean",
}

# Files in source/<lesson>/ that stay with the instructor: the hints are released
# only inside the notebook's hints cell, which shows them one level at a time.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "hints.toml"]
