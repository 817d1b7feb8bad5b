"""Offline transcripts of lectures that have no subtitles (pure parts).

- `model`: which speech model to load (the bundled Whisper tiny.en, or a folder the learner
  chose) and checking that it is the one we pinned;
- `files`: transcripts kept in the cache folder, one WebVTT file per lecture, named by the
  lecture's content so a renamed or moved file keeps its transcript; cues to WebVTT;
- `wer`: word error rate against a reference text (tests and bench/transcribe.py).

The recogniser itself runs in a worker process (`lecplayer.transcribe_worker`), started and
fed by `lecplayer.player.transcription` inside a job.
"""
