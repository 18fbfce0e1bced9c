"""The LinkedIn importer: preamble, BOM, quoted commas, older columns, bad files."""

from __future__ import annotations

import pandas as pd
import pytest
from _exports import write_folder, write_zip

from thinksmall_kit import DataError, read_linkedin

NOTES = ('Notes:\n"When exporting your connection data, you may notice that some of the email '
         'addresses are missing."\n\n')
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
ROWS = ('Ana,Silva,https://www.linkedin.com/in/ana-silva,,"Silva, Sons & Co",Owner,15 Jan 2024\n'
        'Bo,Berg,https://www.linkedin.com/in/bo-berg-9,bo@x.example,,,03 Feb 2025\n')
ME = "https://www.linkedin.com/in/me"
MESSAGES = (
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
    "DATE,SUBJECT,CONTENT,FOLDER\n"
    f"c1,,Ana Silva,https://www.linkedin.com/in/ana-silva,Me Person,{ME},"
    "2025-03-02 10:00:00 UTC,,\"Thanks, see you\",INBOX\n"
    f"c1,,Me Person,{ME},Ana Silva,https://www.linkedin.com/in/ana-silva,"
    "2025-03-01 09:00:00 UTC,,Coffee?,INBOX\n"
    f"c2,,Me Person,{ME},Bo Berg,https://www.linkedin.com/in/bo-berg-9,"
    "2025-03-05 09:00:00 UTC,,Hello Bo,INBOX\n"
    f"c3,,Spammer,https://www.linkedin.com/in/spam,Me Person,{ME},"
    "2025-03-06 09:00:00 UTC,,Buy now,SPAM\n")
INVITES = ("From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"
           "Cy Dee,Me Person,\"1/20/25, 3:05 PM\",Loved your talk!,INCOMING,"
           f"https://www.linkedin.com/in/cy-dee,{ME}\n"
           f"Me Person,Bo Berg,\"2/11/25, 9:41 AM\",,OUTGOING,{ME},"
           "https://www.linkedin.com/in/bo-berg-9\n")


@pytest.mark.parametrize("preamble", ["", NOTES, NOTES + "\n", "\ufeff" + NOTES])
def test_connections_after_a_preamble_of_any_length(tmp_path, preamble):
    path = tmp_path / "Connections.csv"
    path.write_text(preamble + HEADER + ROWS, encoding="utf-8")
    net = read_linkedin(path, progress=False)
    c = net.contacts.set_index("contact_id")
    assert list(c.index) == ["linkedin:ana-silva", "linkedin:bo-berg-9"]
    assert c.loc["linkedin:ana-silva", "display_name"] == "Ana Silva"
    assert c.loc["linkedin:ana-silva", "first_seen"] == pd.Timestamp("2024-01-15", tz="UTC")
    assert net.platforms.loc[0, "followers"] == 2


def test_older_export_without_url_column(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(NOTES + "First Name,Last Name,Email Address,Company,Position,Connected On\n"
                    "Ana,Silva,,\"A, B\",Owner,15 Jan 2024\n", encoding="utf-8")
    net = read_linkedin(path, progress=False)
    assert net.contacts["contact_id"].tolist() == ["linkedin:ana silva"]


def test_messages_and_invitations_have_direction(tmp_path):
    folder = write_folder(tmp_path / "li", {"Connections.csv": NOTES + HEADER + ROWS,
                                            "messages.csv": "\ufeff" + MESSAGES,
                                            "Invitations.csv": INVITES})
    net = read_linkedin(folder, progress=False)
    i = net.interactions.set_index("text")
    assert set(i.index) == {"Thanks, see you", "Coffee?", "Hello Bo", "Loved your talk!"}
    assert (i.loc["Coffee?", "direction"], i.loc["Coffee?", "contact_id"]) == (
        "out", "linkedin:ana-silva")
    assert (i.loc["Thanks, see you", "direction"], i.loc["Thanks, see you", "contact_id"]) == (
        "in", "linkedin:ana-silva")
    assert (i.loc["Loved your talk!", "direction"], i.loc["Loved your talk!", "contact_id"]) == (
        "in", "linkedin:cy-dee")
    assert i.loc["Loved your talk!", "timestamp"] == pd.Timestamp("2025-01-20 15:05", tz="UTC")
    assert net.platforms.loc[0, "handle"] == "Me Person"
    assert (net.interactions["kind"] == "dm").all()


def test_missing_columns_name_the_file(tmp_path):
    path = write_zip(tmp_path / "li.zip", {"Connections.csv": NOTES + "First Name,Last Name\n"})
    with pytest.raises(DataError, match=r"li\.zip › Connections\.csv: has no header row"):
        read_linkedin(path, progress=False)


def test_wrong_encoding_names_the_line(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_bytes((NOTES + HEADER + "José,Ávila,,,,,15 Jan 2024\n").encode("latin-1"))
    with pytest.raises(DataError, match=r"Connections\.csv, line 5 .*not UTF-8"):
        read_linkedin(path, progress=False)


def test_unreadable_date_names_the_line(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(NOTES + HEADER + ROWS + "Cy,Dee,,,,,someday\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"line 7, column 'Connected On'.*'someday'"):
        read_linkedin(path, progress=False)
