"""HTTP and the TMS contract: the client, its sockets, the records and their meaning.

Uses no other layer of the app."""
