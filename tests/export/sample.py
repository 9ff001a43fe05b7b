"""A realistic Chinese draft for the export tests and the rendering in docs/screenshots.

Run ``python tests/export/sample.py OUTDIR`` to build the realistic report in a fresh
data folder, export the Word report, convert it with LibreOffice (fonts aliased by
``fonts.conf`` so the heading levels stay distinguishable) and render its pages as PNG.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from mediafactory import make_jpeg, make_mp4, make_png

from qmclient.core.report import Unit
from qmclient.services import drafts
from qmclient.services.context import AppContext

SUMMARY = """根据《关于开展2022年济南市“质量月”活动的通知》要求，我公司以“争创标杆开新局 质量强市促发展”为主题，精心组织、周密部署，在全公司范围内广泛开展了形式多样的“质量月”活动，进一步增强了全员质量意识，提升了产品和服务质量水平。现将活动开展情况总结如下。
一、加强组织领导，精心安排部署
公司成立了由总经理任组长、各部门负责人为成员的“质量月”活动领导小组，制定了活动实施方案，明确了活动目标、工作重点和责任分工，做到了有计划、有措施、有检查、有总结。
二、突出工作重点，确保活动实效
活动期间，公司围绕质量主题宣传、质量教育培训、质量提升行动等重点工作，组织开展了质量知识竞赛、QC小组成果发布、质量开放日等系列活动，共计参与职工1200余人次。"""

ACTIVITIES = [
    {
        "focus_area": "publicity",
        "name": "2022年“质量月”活动启动仪式",
        "start_date": "2022-09-01",
        "end_date": "2022-09-01",
        "place": "公司办公楼一楼报告厅",
        "organiser": "公司质量管理部",
        "participants": "260",
        "description": "公司召开“质量月”活动启动大会，总经理作动员讲话，全体中层以上干部及职工代表参加。会上宣读了活动实施方案，各车间代表签订了质量承诺书。",
        "results": "营造了“人人重视质量、人人创造质量”的浓厚氛围。",
    },
    {
        "focus_area": "education",
        "name": "质量知识竞赛暨技能比武",
        "start_date": "2022-09-13",
        "end_date": "2022-09-15",
        "place": "公司培训中心",
        "organiser": "人力资源部、质量管理部",
        "participants": "180",
        "description": "组织一线职工开展质量知识竞赛和岗位技能比武，内容涵盖质量管理体系、标准化作业和计量基础知识。",
        "results": "评选出质量标兵10名，一线职工质量知识考核合格率达到98%。",
    },
    {
        "focus_area": "improvement",
        "name": "QC小组成果发布会",
        "start_date": "2022-09-22",
        "end_date": "2022-09-22",
        "place": "公司第二会议室",
        "participants": "95",
        "description": "12个QC小组发布了本年度质量改进成果，专家组现场点评。",
        "results": "推荐3项成果参加全市QC小组成果交流，预计年节约成本86万元。",
    },
]

CAPTIONS = [
    "启动仪式现场",
    "总经理作动员讲话",
    "质量知识竞赛现场",
    "技能比武操作考核",
    "QC小组成果发布",
    "质量宣传展板",
]


UNIT = Unit(
    name="济南某某精密机械有限公司",
    kind="enterprise",
    district="lixia",
    credit_code="91350100M000100Y43",
    contact_person="张三",
    phone="0531-82568852",
    email="zhangsan@example.com",
)


def build_sample(ctx: AppContext, folder: Path, *, video: bool = True) -> int:
    """A complete, valid draft: unit, summary, three activities, six photos, one video."""
    folder.mkdir(parents=True, exist_ok=True)
    sid = drafts.create_draft(ctx, unit=UNIT)
    drafts.update_fields(ctx, sid, {"summary": SUMMARY})
    activity_ids = [drafts.add_activity(ctx, sid, a) for a in ACTIVITIES]
    files = [
        make_jpeg(folder / "IMG_0001.jpg", (1600, 1200), seed=1, gps=True),
        make_jpeg(folder / "IMG_0002.jpg", (1200, 1600), seed=2, orientation=6),
        make_jpeg(folder / "IMG_0003.jpg", (1600, 1200), seed=3),
        make_jpeg(folder / "IMG_0004.jpg", (1600, 900), seed=4),
        make_jpeg(folder / "IMG_0005.jpg", (1600, 1200), seed=5),
        make_png(folder / "展板.png", (1200, 800), seed=6),
    ]
    owners = [0, 0, 1, 1, 2, None]
    for path, owner, caption in zip(files, owners, CAPTIONS, strict=True):
        drafts.attach_files(
            ctx,
            sid,
            [path],
            activity_id=activity_ids[owner] if owner is not None else None,
            caption=caption,
        )
    if video:
        clip = make_mp4(folder / "启动仪式视频.mp4", seconds=2.0)
        drafts.attach_files(ctx, sid, [clip], caption="启动仪式视频")
    return sid


REALISTIC_SUMMARY = """根据《关于开展2022年济南市“质量月”活动的通知》要求，我公司以“争创标杆开新局 质量强市促发展”为主题，精心组织、周密部署，在全公司范围内广泛开展了形式多样的“质量月”活动，进一步增强了全员质量意识，提升了产品和服务质量水平。现将活动开展情况总结如下。
一、加强组织领导，周密安排部署。公司成立了由总经理任组长、各部门负责人为成员的“质量月”活动领导小组，制定了活动实施方案，明确了活动目标、工作重点和责任分工，做到了有计划、有措施、有检查、有总结。
（一）健全工作机制。领导小组每周召开一次调度会，通报各部门活动进展，协调解决活动中遇到的问题，确保各项活动按计划推进。
1.压实部门责任。各部门主要负责人为本部门活动第一责任人，将活动任务分解到班组和个人，纳入月度绩效考核。
二、突出工作重点，确保活动实效。活动期间，公司围绕质量主题宣传、质量教育培训、质量提升行动等重点工作，组织开展了质量知识竞赛、QC小组成果发布、质量开放日等系列活动，共计参与职工1200余人次。
三、下一步打算。公司将以此次“质量月”活动为契机，持续完善质量管理体系，深入开展质量改进和品牌培育，推动质量工作常态化、长效化，为建设质量强市贡献力量。"""

REALISTIC_ACTIVITIES = [
    *ACTIVITIES,
    {
        "focus_area": "publicity",
        "name": "质量宣传进车间",
        "start_date": "2022-09-05",
        "end_date": "2022-09-09",
        "place": "公司各生产车间",
        "organiser": "公司质量管理部",
        "participants": "420",
        "description": "在各车间设置质量宣传栏，张贴质量月主题海报和标语，利用班前会宣讲质量典型案例。",
        "results": "职工质量意识明显增强。",
    },
    {
        "focus_area": "education",
        "name": "计量基础知识专题培训",
        "start_date": "2022-09-19",
        "end_date": "2022-09-20",
        "place": "公司培训中心",
        "organiser": "人力资源部",
        "participants": "150",
        "description": "邀请市计量院专家讲授计量基础知识和测量设备管理要求。",
        "results": "参训人员考核合格率100%。",
    },
    {
        "focus_area": "improvement",
        "name": "质量开放日",
        "start_date": "2022-09-27",
        "end_date": "2022-09-27",
        "place": "公司检测中心",
        "organiser": "公司检测中心",
        "participants": "60",
        "description": "邀请客户代表和社区居民参观检测中心，现场演示产品检测流程。",
        "results": "客户满意度进一步提升。",
    },
]
PHOTOS_PER_ACTIVITY = (4, 4, 3, 3, 3, 3)  # 20 photos


def build_realistic(
    ctx: AppContext, folder: Path, *, photo_size: tuple[int, int] = (2000, 1500)
) -> int:
    """The report of a unit as it is usually written: six summary paragraphs with
    一、（一）1. headings and a closing 下一步打算, six activities under three focus areas,
    20 captioned photos and a video."""
    folder.mkdir(parents=True, exist_ok=True)
    sid = drafts.create_draft(ctx, unit=UNIT)
    drafts.update_fields(ctx, sid, {"summary": REALISTIC_SUMMARY})
    n = 0
    for activity, count in zip(REALISTIC_ACTIVITIES, PHOTOS_PER_ACTIVITY, strict=True):
        aid = drafts.add_activity(ctx, sid, activity)
        for k in range(count):
            n += 1
            w, h = photo_size if n % 5 else photo_size[::-1]  # every fifth upright
            path = make_jpeg(folder / f"IMG_{n:04d}.jpg", (w, h), seed=100 + n)
            drafts.attach_files(
                ctx, sid, [path], activity_id=aid, caption=f"{activity['name']}现场（{k + 1}）"
            )
    clip = make_mp4(folder / "技能比武全程录像.mp4", seconds=2.0)
    drafts.attach_files(ctx, sid, [clip], caption="技能比武全程录像")
    return sid


if __name__ == "__main__":
    import datetime as dt
    import shutil
    import subprocess
    import tempfile

    from rendering import to_pdf

    from qmclient.services.context import open_context
    from qmclient.services.export import ExportOptions, run

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("report-page-*.png"), *out.glob("report-photos-*.png")]:
        old.unlink()
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        context = open_context(Path(tmp) / "data")
        try:
            sid = build_realistic(context, Path(tmp) / "src")
            docx, xlsx = Path(tmp) / "report.docx", Path(tmp) / "table.xlsx"
            run(context, sid, ExportOptions(docx=docx, xlsx=xlsx, signed=dt.date(2022, 9, 28)))
        finally:
            context.close()
        pdf = to_pdf(docx, Path(tmp))
        pages = Path(tmp) / "pages"
        pages.mkdir()
        subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(pages / "p")], check=True)
        listing = subprocess.run(
            ["pdfimages", "-list", str(pdf)], capture_output=True, check=True, text=True
        ).stdout.splitlines()[2:]
        with_photos = sorted({int(row.split()[0]) for row in listing})
        rendered = sorted(pages.glob("p-*.png"))
        for n, png in enumerate(rendered, 1):
            if n <= 3:
                written.append(shutil.copyfile(png, out / f"report-page-{n}.png"))
            elif n in with_photos:
                k = with_photos.index(n) + 1
                written.append(shutil.copyfile(png, out / f"report-photos-{k}.png"))
        table = to_pdf(xlsx, Path(tmp))
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(table),
             str(out / "table-page-1")],
            check=True,
        )  # fmt: skip
        written.append(out / "table-page-1.png")
    print("\n".join(str(p) for p in written))
