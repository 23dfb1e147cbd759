"""The grading harness: hidden tests run in a trusted process, the learner's code in the kernel.

``kernel_side`` is the data-only wire format and the agent sent into the
kernel; ``link`` the trusted process's proxies for the kernel's objects;
``trusted`` the trusted process itself; ``probes`` what a test may ask the
kernel beyond calls; ``runner`` the grader's handle on a trusted process.
"""
