"""STIX 2.1 in and out: ``bundle.py`` writes a bundle with the ``stix2`` library, ``read.py`` imports one,
``grades.py`` maps the Admiralty code to STIX ``confidence`` and back. See README, "STIX 2.1"."""
