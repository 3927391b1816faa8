"""What is kept between runs: connections, keys (the OS keyring), preferences, logs."""
