"""Instructor tooling for the ML coding-interview course.

The package builds student notebooks from ``source/`` with nbgrader,
grades submissions and reports scores per rubric category.
"""
