"""Office packages (.docx, .xlsx, .xlsm) opened safely: bounded zip parts, XML without DTDs.

A package is a zip of XML parts. Before anything is parsed: the bytes must be a zip (an OLE
compound file is an encrypted or legacy Office file), each part's size in the zip directory
and its actual inflated size stay under limits (a zip bomb stops at the limit, it is never
inflated whole), and a part holding a DTD (`<!DOCTYPE`, the carrier of entity expansion and
external entities; Office never writes one) is refused. `OfficeError` carries the bilingual
reason; readers turn it into a PF001.
"""

from __future__ import annotations

PART_LIMIT = 64 * 1024 * 1024  # one inflated XML part
TOTAL_LIMIT = 256 * 1024 * 1024  # all parts together
RATIO_LIMIT = 200  # inflated / compressed, for parts above 1 MB
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DOCX_SUFFIXES = (".docx", ".docm")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
OFFICE_SUFFIXES = (*DOCX_SUFFIXES, *XLSX_SUFFIXES, ".xls")
LEGACY_SUFFIXES = (".doc", ".wps", ".et", ".dps")  # read only after conversion (see convert.py)


class OfficeError(ValueError):
    """A package perflint does not read, with the reason in Chinese and English."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def kind_of(data: bytes) -> str:
    """ "zip", "ole" (compound file: encrypted OOXML or legacy .doc/.xls) or "other"."""
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        return "zip"
    if data[:8] == OLE_MAGIC:
        return "ole"
    return "other"


class Package:
    """The parts of an Office zip, read on demand within the limits above."""

    def __init__(self, data: bytes):
        import io
        import zipfile

        kind = kind_of(data)
        if kind == "ole":
            raise OfficeError(
                "文件是加密的或旧版（OLE 复合文档）Office 文件，无法读取；请取消密码保护并另存为 .docx / .xlsx",
                "the file is an encrypted or legacy (OLE compound) Office file; remove the password and save it as .docx / .xlsx",
            )
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
            raise OfficeError(
                f"文件不是有效的 Office 文件（zip 已损坏：{error}）",
                f"not a valid Office file (corrupt zip: {error})",
            ) from None
        self.names = {info.filename: info for info in infos}
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > PART_LIMIT or total > TOTAL_LIMIT:
                raise _bomb(info.filename)
            if info.file_size > 1 << 20 and info.file_size > RATIO_LIMIT * max(
                info.compress_size, 1
            ):
                raise _bomb(info.filename)
            if info.flag_bits & 0x1:
                raise OfficeError(
                    f"文件中的部件 {info.filename} 已加密，无法读取",
                    f"part {info.filename} is encrypted; cannot read it",
                )

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        """A part's bytes, inflated at most to PART_LIMIT (the directory's sizes may lie)."""
        import zipfile

        try:
            with self.zip.open(self.names[name]) as handle:
                data = handle.read(PART_LIMIT + 1)
        except KeyError:
            raise OfficeError(f"文件缺少部件 {name}", f"the file has no part {name}") from None
        except (
            zipfile.BadZipFile,
            ValueError,
            OSError,
            EOFError,
            NotImplementedError,
            RuntimeError,
        ) as error:
            raise OfficeError(
                f"文件的部件 {name} 已损坏：{error}", f"part {name} is damaged: {error}"
            ) from None
        if len(data) > PART_LIMIT:
            raise _bomb(name)
        return data

    def xml(self, name: str):
        """A part parsed with lxml: no DTD, no entities, no network."""
        return parse_xml(self.read(name), name)


def _bomb(name: str) -> OfficeError:
    return OfficeError(
        f"文件中的部件 {name} 解压后过大（疑似 zip 炸弹），未读取",
        f"part {name} inflates past the limit (a zip bomb?); not read",
    )


def refuse_dtd(data: bytes, name: str) -> None:
    """OfficeError when an XML part declares a DTD (entity expansion, external entities) or is
    not UTF-8 (where a DTD could hide from this byte scan). A DTD stands before the root element,
    after the XML declaration, comments and processing instructions only."""
    at = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if data[at : at + 2] in (b"\xff\xfe", b"\xfe\xff") or data[at + 1 : at + 2] == b"\x00":
        raise OfficeError(
            f"文件中的部件 {name} 不是 UTF-8 编码的 XML，拒绝读取",
            f"part {name} is not UTF-8 XML; refused",
        )
    while True:
        at = data.find(b"<", at)
        if at < 0:
            return
        if data.startswith(b"<?", at):
            at = data.find(b"?>", at)
        elif data.startswith(b"<!--", at):
            at = data.find(b"-->", at)
        elif data.startswith(b"<!", at):
            raise OfficeError(
                f"文件中的部件 {name} 含有 DTD 或实体声明，拒绝读取（Office 文件不含 DTD）",
                f"part {name} declares a DTD or entities; refused (Office files have none)",
            )
        else:
            return  # the root element
        if at < 0:
            return


def parse_xml(data: bytes, name: str):
    from lxml import etree

    refuse_dtd(data, name)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=False,
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise OfficeError(
            f"文件中的部件 {name} 不是有效的 XML：{error}", f"part {name} is not valid XML: {error}"
        ) from None


def check_parts(package: Package) -> None:
    """Refuse a package any of whose XML parts declares a DTD (before a library parses them)."""
    for name in package.names:
        if name.endswith((".xml", ".rels", ".vml")):
            refuse_dtd(package.read(name), name)
