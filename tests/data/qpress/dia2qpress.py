"""Converts a Dia diagram as read by QPress's model.dia (R/XML.R) into a QPress text digraph.

Mirrors parse.dia: nodes are Flowchart Ellipse/Box/Terminal objects labelled by their text;
edges are Standard Arc/ZigZagLine/Line objects from handle 0 to handle 1; the end arrow gives
the forward edge's type and the start arrow the backward one (8, 9: negative; 1, 2, 3, 12, 22,
23: positive; 4, 5: unknown; none: no edge); a line style other than solid puts the edges in an
uncertain group (written with extra dashes).
"""
import gzip, re, sys
import xml.etree.ElementTree as ET

NS = {"dia": "http://www.lysator.liu.se/~alla/dia/"}
NODE_TYPES = {"Flowchart - Ellipse", "Flowchart - Box", "Flowchart - Terminal"}
EDGE_TYPES = {"Standard - Arc", "Standard - ZigZagLine", "Standard - Line"}
TYPE = {"8": "N", "9": "N", "1": "P", "2": "P", "3": "P", "12": "P", "22": "P", "23": "P",
        "4": "U", "5": "U", None: "Z"}
HEAD = {"N": "*", "P": ">", "U": "<>", "Z": ""}
TAIL = {"N": "*", "P": "<", "U": "<>", "Z": ""}

def read(path):
    data = open(path, "rb").read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return ET.fromstring(data)

def attr_enum(obj, name):
    e = obj.find(f"./dia:attribute[@name='{name}']/dia:enum", NS)
    return None if e is None else e.get("val")

def label(obj):
    texts = [s.text or "" for s in obj.findall("./dia:attribute[@name='text']//dia:string", NS)]
    text = " ".join(re.sub(r"^#(.*)#$", r"\1", t.replace(",", " ").replace("\n", " "), flags=re.S) for t in texts)
    return text.strip() or "Dia:" + obj.get("id")

def convert(path):
    root = read(path)
    objects = root.findall(".//dia:object", NS)
    names = {o.get("id"): label(o) for o in objects if o.get("type") in NODE_TYPES}
    lines = []
    for o in objects:
        if o.get("type") not in EDGE_TYPES:
            continue
        ends = {c.get("handle"): c.get("to") for c in o.findall("./dia:connections/dia:connection", NS)}
        a, b = names[ends["0"]], names[ends["1"]]
        forward, backward = TYPE[attr_enum(o, "end_arrow")], TYPE[attr_enum(o, "start_arrow")]
        style = attr_enum(o, "line_style")
        dashes = "-" if style in (None, "0") else "--"
        if a == b:
            # A self-loop: QPress reads both directions as the same self-edge.
            lines.append(f"{a} -{HEAD[forward]} {a}")
        else:
            lines.append(f"{a} {TAIL[backward]}{dashes}{HEAD[forward]} {b}")
    return lines

if __name__ == "__main__":
    for line in convert(sys.argv[1]):
        print(line)
