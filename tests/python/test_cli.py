"""`frontier serve` refuses a wrong config with a message that names the file, the model and the field."""
import subprocess
import tempfile

from conftest import FRONTIER_BIN


def test_a_wrong_field_stops_start_up_naming_file_model_and_field():
    with tempfile.NamedTemporaryFile("w", suffix=".yaml") as config:
        config.write("models:\n  - id: gpt-4o\n    provider: openai-compatible\n    base_url: https://api.openai.com/v1\n"
                     "    deployment: cloud\n    price: {input_per_mtok: abc, output_per_mtok: 10}\n")
        config.flush()
        result = subprocess.run([FRONTIER_BIN, "serve", "--config", config.name], capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert config.name in output
    assert "model 'gpt-4o'" in output
    assert "price.input_per_mtok" in output


def test_a_missing_config_file_is_reported():
    result = subprocess.run([FRONTIER_BIN, "serve", "--config", "/nonexistent/frontier.yaml"], capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "/nonexistent/frontier.yaml" in result.stdout + result.stderr
