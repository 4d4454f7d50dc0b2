"""`disclose deploy`: publish a built site to S3-compatible object storage."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.base import main
from generator.problems import BuildError, Problem


def _target(value: str, endpoint: str | None, region: str | None):
    from generator.deploy.s3 import Target

    if not value.startswith("s3://") or not value[5:].split("/", 1)[0]:
        raise BuildError([Problem("deploy_bad_target", params={"value": value})])
    bucket, _, prefix = value[5:].partition("/")
    prefix = prefix.strip("/")
    return Target(bucket, prefix + "/" if prefix else "", endpoint, region)


@main.command()
@click.argument("site", type=click.Path(file_okay=False, path_type=Path), default="site")
@click.option("--to", "to", required=True, metavar="s3://存储桶/前缀", help="部署目标，如 s3://disclosure-site/。")
@click.option("--endpoint", metavar="URL", envvar="DISCLOSE_S3_ENDPOINT",
              help="S3 兼容对象存储的服务地址（阿里云 OSS、腾讯云 COS、华为云 OBS、自建 SeaweedFS/MinIO 等）；"
                   "不填则为 AWS S3。也可用环境变量 DISCLOSE_S3_ENDPOINT。")
@click.option("--region", metavar="区域", help="存储桶所在区域，多数国内对象存储可不填。")
@click.option("--dry-run", is_flag=True, help="只列出将上传和删除的文件数，不做任何改动。")
def deploy(site: Path, to: str, endpoint: str | None, region: str | None, dry_run: bool) -> None:
    """把已生成的网站（默认 site/）部署到对象存储：按内容比对只上传有变化的文件，先上传资源、再上传页面，
    最后删除新网站已没有的文件，部署中断时原网站仍可完整访问。访问密钥取自环境变量 AWS_ACCESS_KEY_ID 和
    AWS_SECRET_ACCESS_KEY。"""
    from generator.deploy.s3 import deploy as run

    if not (site / "index.html").is_file():
        raise BuildError([Problem("deploy_no_site", params={"site": str(site)})])
    target = _target(to, endpoint, region)
    plan, report = run(site.resolve(), target, dry_run=dry_run, progress=lambda m: click.echo(m, err=True))
    if dry_run:
        click.echo(f"（试运行）将上传 {len(plan.uploads)} 个文件、删除 {len(plan.deletions)} 个，"
                   f"{plan.unchanged} 个未变。")
        return
    click.echo(f"已部署到 {target.label}：上传 {report.uploaded} 个文件（{report.bytes / 1e6:.1f} MB），"
               f"删除 {report.deleted} 个，{report.unchanged} 个未变。")
    sys.exit(0)
