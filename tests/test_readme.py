"""The README documents every setting and the two commands that CI and users run."""

from conflictwatch.config import PREFIX, Settings


def test_every_setting_is_in_the_readme_table(repo_root):
    readme = (repo_root / "README.md").read_text()
    for name in Settings.__dataclass_fields__:
        assert f"`{PREFIX}{name.upper()}`" in readme, name


def test_ci_runs_the_readme_test_command(repo_root):
    readme = (repo_root / "README.md").read_text()
    assert "make test" in readme and "make demo" in readme
    assert "make test" in (repo_root / ".ci/run").read_text()
