"""Every library bundled in mig's jar, with its licence as its own POM (or a parent's) declares it.

usage: third-party.py DEPENDENCY_LIST OUT.md   (DEPENDENCY_LIST: `mvn dependency:list -DincludeScope=runtime` output)
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

REPO = os.path.expanduser("~/.m2/repository")
NS = {"m": "http://maven.apache.org/POM/4.0.0"}


def pom(group, artifact, version):
    path = os.path.join(REPO, *group.split("."), artifact, version, "%s-%s.pom" % (artifact, version))
    return ET.parse(path).getroot() if os.path.exists(path) else None


def find(root, tag):
    el = root.find("m:" + tag, NS)
    if el is None:
        el = root.find(tag)
    return el


def licences(group, artifact, version, depth=0):
    root = pom(group, artifact, version)
    if root is None or depth > 6:
        return [], None
    name_el = find(root, "name")
    found = []
    lic = find(root, "licenses")
    if lic is not None:
        for l in list(lic):
            n = find(l, "name")
            u = find(l, "url")
            found.append(((n.text or "").strip() if n is not None else "?", (u.text or "").strip() if u is not None else ""))
    if not found:
        parent = find(root, "parent")
        if parent is not None:
            g, a, v = (find(parent, t).text.strip() for t in ("groupId", "artifactId", "version"))
            found, _ = licences(g, a, v, depth + 1)
    return found, (name_el.text.strip() if name_el is not None and name_el.text else artifact)


rows = []
for line in open(sys.argv[1]):
    m = re.search(r"([\w.\-]+):([\w.\-]+):jar:([\w.\-]+):(compile|runtime)", line)
    if m:
        g, a, v, _ = m.groups()
        found, name = licences(g, a, v)
        rows.append((g, a, v, name, "; ".join("%s (%s)" % f if f[1] else f[0] for f in found) or "see the project"))
with open(sys.argv[2], "w") as out:
    out.write("# Libraries bundled with mig\n\nEach is in lib/mig.jar; its own licence and notice files, where it ships them, are\n"
              "in this folder under the path it ships them. The Java runtime's licences are in runtime/legal/.\n\n")
    out.write("| library | version | licence |\n|---|---|---|\n")
    for g, a, v, name, lic in sorted(rows):
        out.write("| %s (`%s:%s`) | %s | %s |\n" % (name, g, a, v, lic))
print("%d libraries" % len(rows))
