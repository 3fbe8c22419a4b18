from django.dispatch import Signal

# The signals are sent inside the transaction that made the change, once its
# changes are final, so that what receivers record (notifications, webhook
# messages) commits with the awards or not at all. A receiver that reaches
# outside the database (e-mail, HTTP) defers that to transaction.on_commit.

# Sent with ``program`` and ``awards`` (kudos and achievement levels, new or
# earned again).
awards_granted = Signal()

# Sent with ``program`` and ``awards`` (achievement levels no longer earned,
# kudos withdrawn).
awards_revoked = Signal()

# Sent with ``program`` and ``prompts``: (survey event id, KudosPrompt) for
# each survey that offered kudos.
kudos_prompted = Signal()
