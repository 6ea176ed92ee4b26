"""Demo buyer register: a dozen buyers across countries and ratings, a bank with a branch, three
スリーピング候補 (one past its 解除申請期限) in their published batches, two registered buyers
dormant long enough to be published next (S.5), and one deleted buyer. Every buyer has its first
格付の履歴 entry."""

from datetime import timedelta

from nexi import db
from nexi.clock import now, real_now, today
from nexi.models import Buyer, BuyerRating, BuyerStatus, Sequence, SleepingBatch
from nexi.procedures.buyers.rules import name_key

# code, name, alias, country, address, city, industry, rating, limit (JPY), status, days to 解除申請期限
BUYERS = [
    ("304-000101", "ACME INDUSTRIAL SUPPLY INC.", "", "304", "1200 Commerce Street", "Chicago", "商社", "EA",
     300_000_000, BuyerStatus.REGISTERED, None),
    ("304-000102", "PACIFIC MACHINERY CORPORATION", "", "304", "455 Harbor Boulevard", "Los Angeles", "製造", "EE",
     500_000_000, BuyerStatus.REGISTERED, None),
    ("105-000201", "SHANGHAI HUAXIN TRADING CO., LTD.", "上海華信貿易有限公司", "105", "88 Century Avenue, Pudong",
     "Shanghai", "商社", "EM", 120_000_000, BuyerStatus.REGISTERED, None),
    ("111-000301", "SIAM PRECISION PARTS CO., LTD.", "", "111", "99 Moo 4, Bangna-Trad Road", "Samut Prakan", "製造",
     "EA", None, BuyerStatus.REGISTERED, None),
    ("213-000401", "RHEINLAND MASCHINENBAU GMBH", "", "213", "Industriestrasse 12", "Duesseldorf", "製造", "EE",
     800_000_000, BuyerStatus.REGISTERED, None),
    ("205-000501", "BRITANNIA MERCHANT BANK PLC", "", "205", "1 Threadneedle Street", "London", "銀行", "SA", None,
     BuyerStatus.REGISTERED, None),
    ("112-000502", "BRITANNIA MERCHANT BANK PLC, SINGAPORE BRANCH", "", "112", "10 Marina Boulevard", "Singapore",
     "銀行", "SA", None, BuyerStatus.REGISTERED, None),
    ("123-000601", "MUMBAI ENGINEERING WORKS PVT. LTD.", "", "123", "Plot 17, MIDC Andheri East", "Mumbai", "製造",
     "EF", 50_000_000, BuyerStatus.REGISTERED, None),
    ("110-000701", "SAIGON TEXTILE JOINT STOCK COMPANY", "", "110", "25 Le Duan Street, District 1",
     "Ho Chi Minh City", "製造", "EC", None, BuyerStatus.REGISTERED, None),
    ("410-000801", "MINISTRY OF HEALTH OF THE STATE OF SAO PAULO", "", "410", "Avenida Doutor Eneas Carvalho 188",
     "Sao Paulo", "政府機関", "GA", None, BuyerStatus.REGISTERED, None),
    ("601-000901", "SOUTHERN CROSS FOODS PTY LTD", "", "601", "200 George Street", "Sydney", "小売", "EA", None,
     BuyerStatus.SLEEPING, 40),
    ("234-001001", "ANATOLIA CELIK SANAYI A.S.", "アナトリア製鉄", "234", "Organize Sanayi Bolgesi 5", "Bursa", "製造",
     "EM", None, BuyerStatus.SLEEPING, 5),
    ("305-001101", "AZTECA DISTRIBUCIONES S.A. DE C.V.", "", "305", "Paseo de la Reforma 250", "Ciudad de Mexico",
     "商社", "EF", None, BuyerStatus.SLEEPING, -3),
    ("224-000001", "VOLGA MACHINE TOOLS JSC", "", "224", "Prospekt Mira 101", "Moscow", "製造", "EM", None,
     BuyerStatus.DELETED, None),
]  # fmt: skip
DORMANT = {"110-000701", "410-000801"}  # registered, no activity for longer than NEXI_SLEEPING_MONTHS


def seed() -> None:
    session = db.session()
    registered = real_now() - timedelta(days=800)
    by_code = {}
    for code, name, alias, country, address, city, industry, rating, limit, status, deadline in BUYERS:
        buyer = Buyer(
            code=code,
            name_en=name,
            name_key=name_key(name),
            alias=alias,
            country_code=country,
            address=address,
            city=city,
            industry=industry,
            rating=rating,
            rated_on=today() - timedelta(days=400),
            limit_amount=limit,
            status=status,
            release_deadline=today() + timedelta(days=deadline) if deadline is not None else None,
            deleted_on=today() - timedelta(days=90) if status == BuyerStatus.DELETED else None,
            deleted_reason="スリーピング" if status == BuyerStatus.DELETED else "",
            last_activity_on=today() - timedelta(days=800 if status == BuyerStatus.SLEEPING or code in DORMANT else 30),
            registered_at=registered,
        )
        session.add(buyer)
        by_code[code] = buyer
    session.flush()
    for buyer in by_code.values():
        session.add(
            BuyerRating(
                buyer_id=buyer.id,
                rating=buyer.rating,
                rated_on=buyer.rated_on,
                recorded_at=registered,
                note="登録時の格付",
            )
        )
    # The candidates were published in one batch per 解除申請期限, 60 days before it.
    for deadline in sorted({buyer.release_deadline for buyer in by_code.values() if buyer.release_deadline}):
        published = [buyer for buyer in by_code.values() if buyer.release_deadline == deadline]
        batch = SleepingBatch(
            published_at=now() - timedelta(days=60 - (deadline - today()).days),
            release_deadline=deadline,
            buyer_count=len(published),
        )
        session.add(batch)
        session.flush()
        for buyer in published:
            buyer.sleeping_batch_id = batch.id
    branch = by_code["112-000502"]
    branch.head_office_id, branch.relation = by_code["205-000501"].id, "支店"
    # Later registrations continue each country's numbering.
    serials: dict[str, int] = {}
    for code, *_ in BUYERS:
        country, serial = code.split("-")
        serials[country] = max(serials.get(country, 0), int(serial))
    for country, serial in serials.items():
        session.add(Sequence(name=f"buyer:{country}", value=serial))
