"""Problems as data: every stage reports through `Problem`; the Chinese wording is in `messages`."""

from generator.problems.problem import BuildError, Problem, Problems, titled

__all__ = ["BuildError", "Problem", "Problems", "titled"]
