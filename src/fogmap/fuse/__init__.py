"""Across articles: how texts stand towards claims (`stance`), and in time incidents told
by several sources and the claims that support or contradict each other."""
