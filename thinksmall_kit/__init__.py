"""Think Small Kit: fewer networks, real two-way ties, small connection habits.

The whole kit on one screen:

Data
    :class:`Network`  your platforms, contacts and interactions as three tables
    :class:`DataError`  what is raised when a table does not fit (a ValueError)
    :func:`load_persona`, :func:`list_personas`, :func:`persona_info`  sample
    networks to practise on
Your own work
    :class:`Workspace`, :func:`open_workspace`  one SQLite file for your network,
    role tags and notes, kept between sessions

Nothing heavy is imported here: plotly, networkx, nbgrader, ipywidgets and
icalendar load when a function first needs them.
"""

from thinksmall_kit.network import DIRECTIONS, KINDS, OFFLINE, ROLES, SCHEMA, DataError, Network
from thinksmall_kit.personas import list_personas, load_persona, persona_info
from thinksmall_kit.workspace import Workspace, WorkspaceError, open_workspace

__version__ = "0.1.0"

__all__ = [
    "DIRECTIONS",
    "KINDS",
    "OFFLINE",
    "ROLES",
    "SCHEMA",
    "DataError",
    "Network",
    "Workspace",
    "WorkspaceError",
    "__version__",
    "list_personas",
    "load_persona",
    "open_workspace",
    "persona_info",
]
