from django.dispatch import Signal

# Sent after the transaction that granted them commits, with ``program`` and
# ``awards`` (kudos and achievement levels, new or earned again).
awards_granted = Signal()
