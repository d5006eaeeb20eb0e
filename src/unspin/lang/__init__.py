"""Language data, one package per language (only English today): word lists live here, not
in the detectors, so that a detector's logic and the words it keys on can change apart."""
