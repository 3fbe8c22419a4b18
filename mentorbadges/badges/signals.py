from django.dispatch import Signal

# Sent after the transaction that granted them commits, with ``program`` and
# ``awards`` (kudos and achievement levels, new or earned again).
awards_granted = Signal()

# Sent after the transaction that revoked them commits, with ``program`` and
# ``awards`` (achievement levels no longer earned).
awards_revoked = Signal()

# Sent after the transaction that applied them commits, with ``program`` and
# ``prompts``: (survey event id, KudosPrompt) for each survey that offered kudos.
kudos_prompted = Signal()
