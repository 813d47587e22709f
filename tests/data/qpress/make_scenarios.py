"""Turns the QPress digraphs of this folder into claimsim scenarios with a press on every node.

Run from the repository root after `cargo build --release`:

    python3 tests/data/qpress/make_scenarios.py

Each `NAME.txt` is imported with `claimsim import` (so the links are exactly what the importer
reads), the importer's starting intervention is replaced by one `press NODE` per node, and
`[simulation] self_limitation` is set as the QPress vignette analyses the model: the lake and
snowshoe models as drawn (only their explicit self-loops), the Antarctic models after
`enforce.limitation` (every node self-limited, the default).
"""
import pathlib, re, subprocess, tempfile

HERE = pathlib.Path(__file__).parent
BINARY = HERE.parents[2] / "target/release/claimsim"
ARROW = re.compile(r"^(.+?) -[>|?] (.+?)(\s+#.*)?$")

def nodes(network):
    seen = []
    for line in network.splitlines():
        m = ARROW.match(line.strip())
        if m:
            for name in (m.group(1), m.group(2)):
                if name not in seen:
                    seen.append(name)
    return seen

def convert(source):
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "out.toml"
        subprocess.run([BINARY, "import", source, "-o", out], check=True, capture_output=True)
        text = out.read_text()
    text = text[: text.index("# A starting point added by import")].rstrip() + "\n"
    text = text.replace(f"{source.name} (QPress digraph).", f"{source.name} (QPress digraph) by make_scenarios.py.")
    text = text.replace(f'title = "Imported from {source.name}"', f'title = "QPress model {source.stem}"')
    start = text.index("network = '''") + len("network = '''")
    network = text[start : text.index("'''", start)]
    explicit = not source.name.startswith("antarctic")
    lines = [text, "", "[simulation]", "samples = 4000", "seed = 1"]
    if explicit:
        lines.append('self_limitation = "explicit"   # as drawn: QPress adds none unless told to')
    for node in nodes(network):
        lines += ["", "[[intervention]]", f'name = "press {node}"', f'press = {{ "{node}" = 1.0 }}']
    return "\n".join(lines) + "\n"

for source in sorted(HERE.glob("*.txt")):
    source.with_suffix(".toml").write_text(convert(source))
    print("wrote", source.with_suffix(".toml").name)
