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
