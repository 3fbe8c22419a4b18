from django.dispatch import Signal

# Sent after the transaction that granted them commits, with ``program`` and
# ``awards`` (kudos and achievement levels, new or earned again).
awards_granted = Signal()

# Sent after the transaction that revoked them commits, with ``program`` and
# ``awards`` (achievement levels no longer earned).
awards_revoked = Signal()
