"""Stage 5: deliver what render made: files on disk and the e-mail digest."""
