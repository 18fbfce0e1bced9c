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
    :func:`save_platform`, :func:`engagement_explorer`  followers against conversation; keep
    or cut each platform
Conversation (lessons 04-05)
    :func:`conversation`, :class:`PromotionRules`, :func:`promotion_agreement`,
    :func:`make_it_a_conversation`, :func:`one_way_flags`, :func:`give_first_plan`,
    :func:`post_checker`, :func:`give_first_what_if`
    broadcast or conversation, pitch-first messages, give/ask balance, whom to amplify
Tribe (lesson 03)
    :func:`tribe`, :class:`Tribe`, :func:`tag_roles`  tie strength, Dunbar layers,
    keep-in-touch status, concentration and echo-chamber check; tag roles
Habits (lessons 06-07)
    :func:`plan_habits`, :func:`recipe`, :func:`check_in`, :func:`habit_progress`,
    :func:`habit_tracker`, :func:`review`, :func:`review_what_if`  tiny daily reach-outs
    in your calendar, check-ins, a forgiving habit strength, and the four-week review
Workshops and take-home (lesson 07, instructors/)
    :func:`take_home_report`, :func:`class_summary`, :func:`class_report`,
    :func:`build_slides`  your plan as one offline page, a pseudonymised class
    summary and the instructor's dashboard, offline slides made from the lessons
Your own exports (lesson 00)
    :func:`read_export` (and :func:`read_x`, :func:`read_linkedin`, ... per platform),
    :func:`combine`, :func:`same_person_candidates`, :func:`sample_path`,
    :func:`write_template`  read X, LinkedIn, Mastodon, Bluesky, Instagram, Facebook or CSV

Nothing is imported up front: each name above loads its module the first time
it is used (so ``import thinksmall_kit`` stays cheap), and plotly, networkx,
nbgrader, ipywidgets and icalendar load only when a function needs them.
"""

import importlib
import sys
import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for editors and type checkers; at run time names load lazily
    from thinksmall_kit._habit_widgets import HabitTracker, habit_tracker
    from thinksmall_kit._promotion import PromotionRules
    from thinksmall_kit.audit import (
        TRIBE_ROLES,
        Audit,
        AuditWeights,
        Engagement,
        audit,
        audit_what_if,
        engagement,
        engagement_explorer,
        inventory_form,
        save_platform,
    )
    from thinksmall_kit.classroom import ClassReport, class_report, class_summary
    from thinksmall_kit.conversation import (
        conversation,
        give_first_plan,
        give_first_what_if,
        make_it_a_conversation,
        one_way_flags,
        post_checker,
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
        undo_check_in,
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
    from thinksmall_kit.report import TakeHome, take_home_report
    from thinksmall_kit.review import Review, plan_followed, review, review_what_if
    from thinksmall_kit.slides import build_slides
    from thinksmall_kit.tribe import Tribe, tag_roles, tribe
    from thinksmall_kit.workspace import Workspace, WorkspaceError, open_workspace

# Where each public name lives. To export a new name, add it here, to __all__ and to the
# TYPE_CHECKING imports (for editors); tests/test_package.py checks the three agree.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "_habit_widgets": ("HabitTracker", "habit_tracker"),
    "_promotion": ("PromotionRules",),
    "audit": ("TRIBE_ROLES", "Audit", "AuditWeights", "Engagement", "audit", "audit_what_if",
        "engagement", "engagement_explorer", "inventory_form", "save_platform"),
    "conversation": ("conversation", "give_first_plan", "give_first_what_if",
        "make_it_a_conversation", "one_way_flags", "post_checker", "promotion_agreement"),
    "habits": ("TINY_ACTIONS", "HabitPlan", "HabitProgress", "TinyAction", "check_in",
        "checkins", "habit_progress", "habit_score", "load_plan", "plan_habits", "recipe",
        "save_plan", "undo_check_in"),
    "importers": ("combine", "read_bluesky", "read_csv_template", "read_export", "read_facebook",
        "read_instagram", "read_linkedin", "read_mastodon", "read_x", "same_person_candidates",
        "sample_path", "write_template"),
    "network": ("DIRECTIONS", "KINDS", "OFFLINE", "ROLES", "SCHEMA", "DataError", "Network"),
    "personas": ("list_personas", "load_persona", "persona_info"),
    "review": ("Review", "plan_followed", "review", "review_what_if"),
    "tribe": ("Tribe", "tag_roles", "tribe"),
    "report": ("TakeHome", "take_home_report"),
    "classroom": ("ClassReport", "class_report", "class_summary"),
    "slides": ("build_slides",),
    "workspace": ("Workspace", "WorkspaceError", "open_workspace"),
}
_HOME = {name: module for module, names in _EXPORTS.items() for name in names}


def __getattr__(name: str) -> object:
    """Load a public name (or a submodule) the first time it is used."""
    if name in _HOME:
        value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
        globals()[name] = value
        return value
    if not name.startswith("__"):
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """Keeps ``tsk.audit`` the function when the submodule ``audit`` is imported.

    Importing a submodule binds it on its package, which would hide the
    function of the same name (audit, conversation, review, tribe).
    """

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, types.ModuleType) and name in _HOME and _HOME[name] == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__version__ = "0.1.0"

__all__ = [
    "DIRECTIONS",
    "KINDS",
    "OFFLINE",
    "ROLES",
    "SCHEMA",
    "TINY_ACTIONS",
    "TRIBE_ROLES",
    "Audit",
    "AuditWeights",
    "ClassReport",
    "DataError",
    "Engagement",
    "HabitPlan",
    "HabitProgress",
    "HabitTracker",
    "Network",
    "PromotionRules",
    "Review",
    "TakeHome",
    "TinyAction",
    "Tribe",
    "Workspace",
    "WorkspaceError",
    "__version__",
    "audit",
    "audit_what_if",
    "build_slides",
    "check_in",
    "checkins",
    "class_report",
    "class_summary",
    "combine",
    "conversation",
    "engagement",
    "engagement_explorer",
    "give_first_plan",
    "give_first_what_if",
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
    "post_checker",
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
    "review_what_if",
    "same_person_candidates",
    "sample_path",
    "save_plan",
    "save_platform",
    "tag_roles",
    "take_home_report",
    "tribe",
    "undo_check_in",
    "write_template",
]
