"""The orders app queues no task of its own: the member's e-mails about an order are recorded
in the outbox (cabas.notifications) in the transaction that changes the order, and the
outbox's task sends them (services._notify, notifications.order_email_message)."""
