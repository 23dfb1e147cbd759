"""The grading harness: hidden tests run in a trusted process, the learner's code in the kernel.

``wire`` is the data-only wire format and ``agent`` what the grader sends
into the kernel to serve calls; ``link`` the trusted process's proxies for the kernel's objects;
``trusted`` the trusted process itself; ``probes`` what a test may ask the
kernel beyond calls; ``runner`` the grader's handle on a trusted process.
"""
