from dataclasses import replace

from lecplayer.core.notes import Notes, new_note
from tests.core.test_courses import profile


def test_write_edit_delete_restore_and_search(tmp_path, make_course):
    courses = profile(tmp_path, "a", tmp_path / "Sync")
    course = courses.add(make_course())
    notes = Notes(courses, tmp_path / "images")
    first = notes.save(new_note(course.key, "Lecture 2.mp4", 75.5, "Gradient **descent** ✓"))
    notes.save(new_note(course.key, "Lecture 2.mp4", 12.0, "مرحبا — right to left"))
    assert [n.time for n in notes.of_lecture(course.key, "Lecture 2.mp4")] == [12.0, 75.5]
    edited = notes.save(replace(first, text="Gradient descent, with momentum"))
    assert notes.of_lecture(course.key, "Lecture 2.mp4")[1].text == edited.text
    assert [n.id for n in notes.search("momentum")] == [first.id]
    assert [n.id for n in notes.search("momentum", course.key)] == [first.id]
    assert notes.search("   ") == []
    gone = notes.delete(edited)
    assert [n.time for n in notes.of_lecture(course.key, "Lecture 2.mp4")] == [12.0]
    assert notes.search("momentum") == []
    notes.restore(gone)
    assert len(notes.of_lecture(course.key, "Lecture 2.mp4")) == 2
    courses.close()


def test_notes_reach_the_other_device(tmp_path, make_course):
    sync = tmp_path / "Sync"
    a = profile(tmp_path, "a", sync)
    b = profile(tmp_path, "b", sync)
    root = make_course()
    course = a.add(root)
    b.add(root)
    Notes(a, tmp_path / "img").save(new_note(course.key, "Lecture 1.mp4", 3.0, "from laptop"))
    b.refresh()
    assert [n.text for n in Notes(b, tmp_path / "img").of_course(course.key)] == ["from laptop"]
    a.close()
    b.close()
