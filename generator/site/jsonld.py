"""Machine-readable descriptions for dataset search engines and data catalogues.

- Each record page carries a schema.org `Dataset` (JSON-LD in its <head>): what it is, who published
  it, which year it covers, when it was published, and its JSON and CSV downloads.
- `catalog.jsonld` at the site root is a DCAT catalogue of the bulk downloads (one dataset per kind
  and year, plus the department register), which national open-data portals can harvest.

Both are made from PublicRecords, the publication log and the files already written to data/.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from generator.model.events import Event
from generator.model.records import PublicRecord, project_key
from generator.model.site import SiteModel, record_path

CATALOG_FILE = "catalog.jsonld"
LICENSE_TITLE = "依《政府信息公开条例》主动公开的政府信息"
DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
CHINESE = {"@id": "http://publications.europa.eu/resource/authority/language/ZHO"}
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json"}
# Bulk download formats in the DCAT catalogue: suffix -> (dct:format, IANA media type).
FORMATS = {".csv": ("CSV", "text/csv"),
           ".xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}


def script_safe(data: Any) -> str:
    """JSON that cannot end the <script> element it is printed in, on one line (it goes in front matter)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _org(name: str, url: str | None) -> dict[str, Any]:
    org: dict[str, Any] = {"@type": "GovernmentOrganization", "name": name}
    if url:
        org["url"] = url
    return org


def record_dataset(r: PublicRecord, m: SiteModel) -> dict[str, Any]:
    """schema.org Dataset for one record page."""
    s = m.config.site
    kind = m.catalog.kinds[r.kind]
    url = f"{s.base_url}{record_path(r)}"
    dept = m.dept_name(r.dept)
    described = f"{dept}{r.year}年{kind.title}（{kind.form}），依据{kind.basis}公开。"
    summary = r.fields.get("summary")
    # Every record page carries this, so nothing is said twice: no @id beside url, no keywords that
    # repeat the creator or the year, no download named by the title again (its format says which).
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "url": url,
        "identifier": r.id,
        "name": r.fields["title"],
        "description": f"{summary} {described}" if summary else described,
        "inLanguage": "zh-CN",
        "temporalCoverage": str(r.year),
        "keywords": [kind.title, "预算绩效管理信息公开"],
        "creator": _org(dept, (m.departments.get(r.dept) or {}).get("portal_url")),
        "publisher": _org(s.organisation, s.portal_url),
        "isAccessibleForFree": True,
        "license": {"@type": "CreativeWork", "name": LICENSE_TITLE},
        "includedInDataCatalog": {"@type": "DataCatalog", "name": s.name, "url": f"{s.base_url}data/"},
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": media, "contentUrl": f"{url}{r.id}.{fmt}"}
            for fmt, media in MEDIA_TYPES.items()
        ],
    }
    pub = m.publication.get(r.id)
    if pub is not None and pub.first:
        data["datePublished"] = pub.first
        data["dateModified"] = pub.updated or pub.first
    # A later record of the same project (monitoring, evaluation) is built on that year's goal.
    key = project_key(r.fields)
    basis = [f"{s.base_url}{record_path(o)}" for o in (m.by_project.get(key, []) if key else [])
             if o.kind == "goal" and o.year == r.year and o.id != r.id]
    if basis:
        data["isBasedOn"] = basis
    return data


def record_jsonld(r: PublicRecord, m: SiteModel) -> str:
    return script_safe(record_dataset(r, m))


def _zh(text: str) -> dict[str, str]:
    return {"@value": text, "@language": "zh-CN"}


def _time(value: str) -> dict[str, str]:
    return {"@value": value, "@type": "xsd:dateTime"}


def catalog(m: SiteModel, events: list[Event], data_dir: Path) -> dict[str, Any]:
    """The DCAT catalogue of the bulk downloads listed in data/datapackage.json."""
    s = m.config.site
    base = s.base_url
    package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    resources = {res["name"]: res for res in package["resources"]}
    times: dict[tuple[str, int], list[str]] = defaultdict(list)
    for e in events:
        if e.get("event") in ("published", "updated") and e.get("kind") and e.get("year"):
            times[(e["kind"], int(e["year"]))].append(e["time"])
    counts: dict[tuple[str, int], int] = defaultdict(int)
    for r in m.records:
        counts[(r.kind, r.year)] += 1
    publisher = {"@id": f"{s.portal_url}#organisation", "@type": "foaf:Organization",
                 "foaf:name": _zh(s.organisation), "foaf:homepage": {"@id": s.portal_url}}
    contact: dict[str, Any] = {"@type": "vcard:Organization", "vcard:fn": _zh(s.organisation),
                               "vcard:hasTelephone": {"@id": f"tel:{s.contact.phone}"}}
    if s.contact.email:
        contact["vcard:hasEmail"] = {"@id": f"mailto:{s.contact.email}"}
    license_doc = {"@type": "dct:LicenseDocument", "dct:title": _zh(LICENSE_TITLE)}

    def distribution(res: dict[str, Any], path_name: str | None = None) -> dict[str, Any]:
        name = path_name or res["path"]
        url = f"{base}data/{name}"
        path = data_dir / name
        fmt = FORMATS[Path(name).suffix]
        dist: dict[str, Any] = {
            "@id": url, "@type": "dcat:Distribution", "dct:title": _zh(f"{res['title']}（{fmt[0]}）"),
            "dcat:downloadURL": {"@id": url}, "dcat:accessURL": {"@id": f"{base}data/"},
            "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{fmt[1]}"},
            "dct:format": fmt[0], "dct:license": license_doc,
            "dct:conformsTo": {"@id": f"{base}data/datapackage.json"},
        }
        if path.is_file():
            dist["dcat:byteSize"] = {"@value": str(path.stat().st_size), "@type": "xsd:nonNegativeInteger"}
        return dist

    def distributions(res: dict[str, Any]) -> list[dict[str, Any]]:
        # The same table as an Excel workbook, where the build wrote one beside the CSV.
        workbook = str(Path(res["path"]).with_suffix(".xlsx"))
        return [distribution(res)] + ([distribution(res, workbook)] if (data_dir / workbook).is_file() else [])

    datasets = []
    for name, res in resources.items():
        if name.endswith("-indicators"):
            continue  # described as a second distribution of its records' dataset
        ds: dict[str, Any] = {
            "@id": f"{base}{CATALOG_FILE}#{name}", "@type": "dcat:Dataset", "dct:identifier": name,
            "dct:title": _zh(res["title"]), "dct:publisher": {"@id": publisher["@id"]}, "dct:language": CHINESE,
            "dcat:contactPoint": contact, "dcat:keyword": [_zh("预算绩效管理信息公开")],
            "dcat:distribution": distributions(res),
        }
        kind_name, _, year_text = name.rpartition("-")
        kind = m.catalog.kinds.get(kind_name)
        if kind is not None and year_text.isdigit():
            year = int(year_text)
            ds["dct:description"] = _zh(f"{year}年各部门公开的{kind.title}，共 {counts[(kind_name, year)]} 条；"
                                        f"依据{kind.basis}。字段说明见 datapackage.json。")
            ds["dcat:keyword"].append(_zh(kind.title))
            ds["dcat:landingPage"] = {"@id": f"{base}{kind.folder}/{year}/"}
            ds["dct:temporal"] = {"@type": "dct:PeriodOfTime",
                                  "dcat:startDate": {"@value": f"{year}-01-01", "@type": "xsd:date"},
                                  "dcat:endDate": {"@value": f"{year}-12-31", "@type": "xsd:date"}}
            if times[(kind_name, year)]:
                ds["dct:issued"] = _time(min(times[(kind_name, year)]))
                ds["dct:modified"] = _time(max(times[(kind_name, year)]))
            if f"{name}-indicators" in resources:
                ds["dcat:distribution"].append(distribution(resources[f"{name}-indicators"]))
        else:
            ds["dct:description"] = _zh(f"{res['title']}：本专栏登记的部门及其代码。")
            ds["dcat:landingPage"] = {"@id": f"{base}depts/"}
        datasets.append(ds)
    cat: dict[str, Any] = {
        "@context": DCAT_CONTEXT, "@id": f"{base}{CATALOG_FILE}", "@type": "dcat:Catalog",
        "dct:title": _zh(s.name), "dct:description": _zh(s.description or s.name), "dct:publisher": publisher,
        "dct:language": CHINESE, "dct:license": license_doc, "foaf:homepage": {"@id": base},
        "dcat:contactPoint": contact, "dcat:dataset": datasets,
    }
    all_times = [t for ts in times.values() for t in ts]
    if all_times:
        cat["dct:modified"] = _time(max(all_times))
    return cat


def write_catalog(m: SiteModel, events: list[Event], docs: Path) -> None:
    text = json.dumps(catalog(m, events, docs / "data"), ensure_ascii=False, indent=1)
    (docs / CATALOG_FILE).write_text(text + "\n", encoding="utf-8")
