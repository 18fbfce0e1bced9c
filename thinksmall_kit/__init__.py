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
Audit (lessons 01-02)
    :func:`engagement`, :func:`audit`, :func:`audit_what_if`, :func:`inventory_form`,
    :func:`save_platform`  followers against conversation; keep or cut each platform
Conversation (lessons 04-05)
    :func:`conversation`, :class:`PromotionRules`, :func:`promotion_agreement`,
    :func:`make_it_a_conversation`, :func:`one_way_flags`, :func:`give_first_plan`
    broadcast or conversation, pitch-first messages, give/ask balance, whom to amplify
Tribe (lesson 03)
    :func:`tribe`, :class:`Tribe`, :func:`tag_roles`  tie strength, Dunbar layers,
    keep-in-touch status, concentration and echo-chamber check; tag roles
Habits (lessons 06-07)
    :func:`plan_habits`, :func:`recipe`, :func:`check_in`, :func:`habit_progress`,
    :func:`habit_tracker`, :func:`review`  tiny daily reach-outs in your calendar, check-ins,
    a forgiving habit strength, and the four-week review
Your own exports (lesson 00)
    :func:`read_export` (and :func:`read_x`, :func:`read_linkedin`, ... per platform),
    :func:`combine`, :func:`same_person_candidates`, :func:`sample_path`,
    :func:`write_template`  read X, LinkedIn, Mastodon, Bluesky, Instagram, Facebook or CSV

Nothing heavy is imported here: plotly, networkx, nbgrader, ipywidgets and
icalendar load when a function first needs them.
"""

from thinksmall_kit._habit_widgets import HabitTracker, habit_tracker
from thinksmall_kit._promotion import PromotionRules
from thinksmall_kit.audit import (
    Audit,
    AuditWeights,
    Engagement,
    audit,
    audit_what_if,
    engagement,
    inventory_form,
    save_platform,
)
from thinksmall_kit.conversation import (
    conversation,
    give_first_plan,
    make_it_a_conversation,
    one_way_flags,
    promotion_agreement,
)
from thinksmall_kit.habits import (
    TINY_ACTIONS,
    HabitPlan,
    HabitProgress,
    TinyAction,
    check_in,
    checkins,
    habit_progress,
    habit_score,
    load_plan,
    plan_habits,
    recipe,
    save_plan,
)
from thinksmall_kit.importers import (
    combine,
    read_bluesky,
    read_csv_template,
    read_export,
    read_facebook,
    read_instagram,
    read_linkedin,
    read_mastodon,
    read_x,
    same_person_candidates,
    sample_path,
    write_template,
)
from thinksmall_kit.network import DIRECTIONS, KINDS, OFFLINE, ROLES, SCHEMA, DataError, Network
from thinksmall_kit.personas import list_personas, load_persona, persona_info
from thinksmall_kit.review import Review, plan_followed, review
from thinksmall_kit.tribe import Tribe, tag_roles, tribe
from thinksmall_kit.workspace import Workspace, WorkspaceError, open_workspace

__version__ = "0.1.0"

__all__ = [
    "DIRECTIONS",
    "KINDS",
    "OFFLINE",
    "ROLES",
    "SCHEMA",
    "TINY_ACTIONS",
    "Audit",
    "AuditWeights",
    "DataError",
    "Engagement",
    "HabitPlan",
    "HabitProgress",
    "HabitTracker",
    "Network",
    "PromotionRules",
    "Review",
    "TinyAction",
    "Tribe",
    "Workspace",
    "WorkspaceError",
    "__version__",
    "audit",
    "audit_what_if",
    "check_in",
    "checkins",
    "combine",
    "conversation",
    "engagement",
    "give_first_plan",
    "habit_progress",
    "habit_score",
    "habit_tracker",
    "inventory_form",
    "list_personas",
    "load_persona",
    "load_plan",
    "make_it_a_conversation",
    "one_way_flags",
    "open_workspace",
    "persona_info",
    "plan_followed",
    "plan_habits",
    "promotion_agreement",
    "read_bluesky",
    "read_csv_template",
    "read_export",
    "read_facebook",
    "read_instagram",
    "read_linkedin",
    "read_mastodon",
    "read_x",
    "recipe",
    "review",
    "same_person_candidates",
    "sample_path",
    "save_plan",
    "save_platform",
    "tag_roles",
    "tribe",
    "write_template",
]
