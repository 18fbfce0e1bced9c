"""nbgrader settings for every server the hub starts (found through JUPYTER_CONFIG_PATH).

Learners fetch and submit exercises through the Assignments tab: both go through
the shared exchange folder the hub creates (THINKSMALL_EXCHANGE).
"""

import os

c = get_config()  # noqa: F821 - provided by nbgrader when it reads this file

c.CourseDirectory.course_id = "thinksmall"
# Every server runs as the same Unix user (SimpleLocalProcessSpawner), so nbgrader's
# default student id (the Unix user name) would be the same for the whole room: name
# submissions after the hub user instead.
if os.environ.get("JUPYTERHUB_USER"):
    c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]
if os.environ.get("THINKSMALL_EXCHANGE"):
    c.Exchange.root = os.environ["THINKSMALL_EXCHANGE"]
