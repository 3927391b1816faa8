"""Small widgets and wording shared by the pages and the shell."""
