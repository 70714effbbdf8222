"""The assistant's Python side: actions, the channel and the web app."""
