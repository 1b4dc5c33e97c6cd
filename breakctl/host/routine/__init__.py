"""A routine being done on its own (`breakctl routine NAME`, or `breakctl break` with no
`start` running): the loop, and the status file `breakctl status` reads meanwhile."""
