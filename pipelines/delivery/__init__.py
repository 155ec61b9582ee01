"""Delivering a night's hit reports to the banks and taking their review decisions back.

| module | what it does |
| --- | --- |
| :mod:`~pipelines.delivery.fingerprints` | content hashes of a party's screened fields and of a list entry |
| :mod:`~pipelines.delivery.delta` | each hit new, unchanged, changed or cleared against the bank's previous night |
| :mod:`~pipelines.delivery.dispositions` | review decisions from the bank's inbox: validated, kept, applied |
| :mod:`~pipelines.delivery.history` | the bank's previous published night in the object store |
| :mod:`~pipelines.delivery.html` | the readable summary page of a report set |
| :mod:`~pipelines.delivery.bank_night` | one bank's report set built, written and published |
| :mod:`~pipelines.delivery.links` | time-limited download links for the night's notifications |
| :mod:`~pipelines.delivery.retention` | deleting nights older than the configured retention |
| :mod:`~pipelines.delivery.retry` | retrying transient object-store errors with backoff |
| :mod:`~pipelines.delivery.bank_side` | ``interdict reports fetch`` / ``submit``: the bank's own side |
"""
