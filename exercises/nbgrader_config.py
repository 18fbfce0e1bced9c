"""nbgrader configuration of the Think Small Kit course (this folder is the course root)."""

import os

c = get_config()  # noqa: F821 - provided by nbgrader when it reads this file

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "thinksmall"
# A notebook cell that runs longer than this is stopped (an infinite loop, say).
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# A learner who deletes a test cell gets it back when graded.
c.OverwriteCells.add_missing_cells = True
