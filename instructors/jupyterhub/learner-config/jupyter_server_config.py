"""Server settings for every server the hub starts (found through JUPYTER_CONFIG_PATH)."""

import importlib.util

c = get_config()  # noqa: F821 - provided by Jupyter Server when it reads this file

extensions = {
    # Learners do not create or grade assignments: the instructor does that in a
    # terminal (README.md, "Exercises"), so the formgrader is off.
    "nbgrader.server_extensions.formgrader": False,
}
# nbgitpuller serves the /git-pull links (README.md); on when it is installed here.
if importlib.util.find_spec("nbgitpuller") is not None:
    extensions["nbgitpuller"] = True
c.ServerApp.jpserver_extensions.update(extensions)
