"""detect_language: Indonesian vs English by function-word shares."""

from pipelines.parse.language import detect_language

INDONESIAN = ("Pemerintah Indonesia dan Malaysia sepakat untuk mempercepat perundingan batas laut yang telah "
              "berlangsung selama bertahun-tahun, kata juru bicara kementerian pada Rabu.")
ENGLISH = ("The governments of Indonesia and Malaysia agreed to speed up the maritime boundary talks that "
           "have been under way for years, a ministry spokesperson said on Wednesday.")
GERMAN = ("Die Regierungen Indonesiens und Malaysias vereinbarten, die seit Jahren laufenden Verhandlungen "
          "über die Seegrenze zu beschleunigen, sagte ein Sprecher des Ministeriums am Mittwoch.")


def test_indonesian_prose_is_id():
    assert detect_language(INDONESIAN)[0] == "id"


def test_english_prose_is_en():
    assert detect_language(ENGLISH)[0] == "en"


def test_clear_text_has_high_confidence():
    assert detect_language(ENGLISH)[1] > 0.9


def test_a_third_language_is_neither():
    assert detect_language(GERMAN)[0] is None


def test_numbers_only_is_neither():
    assert detect_language("2025 17 6 100 3,5")[0] is None
