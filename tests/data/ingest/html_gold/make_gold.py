"""Writes the gold pages: hand-written article text in varied boilerplate.

The pages hold nav bars, comments, sidebars and table layouts around paragraphs.
"""
# ruff: noqa: E501  (the paragraphs are prose; wrapping them would change the gold text)
import html
import pathlib

out = pathlib.Path(__file__).resolve().parent
pages = {}

def paras(text):
    return [p.strip() for p in text.strip().split("\n\n")]

NAV = '<nav class="top"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li><li><a href="/opinion">Opinion</a></li><li><a href="/subscribe">Subscribe</a></li></ul></nav>'
FOOT = '<footer><p>About us · Contact · Privacy policy · Terms of use</p><p>© 2024 Example Media Group. Reproduction without permission is prohibited.</p></footer>'
RELATED = '<section class="related"><h3>Related stories</h3><ul><li><a href="/r1">Election commission publishes final results</a></li><li><a href="/r2">Weather warning for the coast this weekend</a></li><li><a href="/r3">Five things to know about the new tax rules</a></li></ul></section>'
SHARE = '<div class="share">Share: <a href="#">Facebook</a> <a href="#">X</a> <a href="#">Telegram</a> <a href="#">Email</a></div>'
NEWSLETTER = '<div class="newsletter"><p>Get our morning briefing in your inbox every day.</p><form><input type="email"><button>Sign up</button></form></div>'

def page(name, title, body_paras, layout, lang="en", extra_head=""):
    ps = "\n".join(f"<p>{html.escape(p)}</p>" for p in body_paras)
    if layout == "article":
        main = f"<main><article><h1>{title}</h1>{SHARE}\n{ps}\n</article></main>{RELATED}"
    elif layout == "divs":
        main = f'<div id="wrapper"><div class="col-left">{NEWSLETTER}</div><div class="col-main"><div class="post-title"><h1>{title}</h1></div><div class="post-body">\n{ps}\n</div>{SHARE}</div><div class="col-right">{RELATED}</div></div>'
    elif layout == "comments":
        main = (f"<main><article><h1>{title}</h1>\n{ps}\n</article>"
                '<section id="comments"><h3>Comments (3)</h3>'
                '<div class="comment"><p>Reader42: This is exactly what I said would happen last year, nobody listened.</p></div>'
                '<div class="comment"><p>anon: Fake news, the real story is being hidden from us.</p></div>'
                '<div class="comment"><p>MK: Thanks for the reporting, please follow up on the court case.</p></div>'
                f"</section></main>{RELATED}")
    elif layout == "table":
        main = f'<table width="100%"><tr><td class="sidebar" width="20%"><a href="/">Index</a><br><a href="/archive">Archive</a><br><a href="/links">Links</a></td><td class="main"><h2>{title}</h2>\n{ps}\n</td></tr></table>'
    pages[name] = (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n<title>{title} | Example Media</title>\n{extra_head}</head>\n<body>\n{NAV}\n{main}\n{FOOT}\n</body>\n</html>\n', body_paras)

page("01_ceasefire", "Ceasefire talks stall over prisoner lists", paras("""
Negotiators meeting in a neutral capital ended a third day of talks without agreement, officials from both delegations said on Thursday evening.

The main obstacle remains the exchange of detainees. Each side has presented a list of names, but the lists differ by more than two hundred people, and neither delegation has accepted the other's figures.

Mediators proposed that an international humanitarian organisation verify the lists before any exchange. One delegation welcomed the idea; the other said it would respond after consultations at home.

Fighting along the front line continued during the talks, with shelling reported in at least four villages. No casualty figures were independently confirmed.

The talks are scheduled to resume next week, although neither side has confirmed that its delegation will return.
"""), "article")

page("02_cartel_court", "Court sentences logistics chief of trafficking network", paras("""
A federal court on Monday sentenced the man prosecutors described as the logistics chief of a drug trafficking network to twenty-two years in prison.

The court found that he organised the transport of cocaine hidden in shipments of fruit between two ports over a period of four years. Prosecutors said he managed a fleet of refrigerated trucks and paid customs employees to avoid inspections.

His defence argued that he was only a driver and had no knowledge of the cargo. The judges rejected that argument, citing intercepted messages in which he assigned routes and set payments.

Three co-defendants received sentences of between six and eleven years. Two others were acquitted for lack of evidence.

The defence said it would appeal the verdict.
"""), "divs")

page("03_militia_statement", "Militia denies role in attack on aid warehouse", paras("""
An armed group active in the eastern province issued a statement on Saturday denying that its fighters attacked a humanitarian warehouse earlier in the week.

The warehouse, run by a local charity, was looted and partly burned on Wednesday night. Staff said that armed men arrived in two pickup trucks and loaded sacks of flour and cooking oil before setting the building on fire.

Witnesses interviewed by local radio said some of the attackers wore insignia associated with the group. The group's statement called those reports fabricated and blamed a rival faction.

The provincial governor ordered an investigation and said aid deliveries to the area would be suspended until security could be guaranteed.

Aid agencies estimate that more than forty thousand people in the district depend on food distributions.
"""), "comments")

page("04_ru_report", "Задержаны участники преступной группы", paras("""
Сотрудники полиции задержали пятерых участников преступной группы, которая, по данным следствия, занималась вымогательством у владельцев небольших магазинов.

По словам представителя ведомства, группа действовала около двух лет. Владельцам магазинов угрожали поджогом, если они отказывались ежемесячно платить.

При обысках изъяты оружие, наличные деньги и записи с перечнем платежей. Следствие устанавливает, были ли у группы связи с сотрудниками местной администрации.

Задержанным предъявлены обвинения в вымогательстве и участии в преступном сообществе. Суд избрал для них меру пресечения в виде заключения под стражу.
"""), "article", lang="ru")

page("05_archive_table", "Notes on the 1998 border incidents", paras("""
This page collects notes on the border incidents of spring 1998, compiled from contemporary press reports and later court records.

In March of that year, several villages near the border were shelled over a period of ten days. Contemporary reports disagree on the number of victims, and later court proceedings relied mostly on the testimony of survivors.

A commission set up in 2001 concluded that the shelling came from positions held by an irregular unit that was later absorbed into the regular army. Its commander was tried in 2006 and convicted on two of five counts.

Researchers should treat early casualty figures with caution. Several of them were repeated from a single source and were never verified.
"""), "table")

page("06_blog_sanctions", "How a sanctioned shipping company changed its flag", paras("""
When a shipping company is placed under sanctions, its vessels rarely stop sailing. More often they change names, owners and flags within weeks.

In this case, the company's four tankers were transferred to newly registered firms in three different jurisdictions. Each firm had a single director and shared the same postal address.

Ship tracking data shows that two of the tankers switched off their transponders for several days at a time, a practice that makes it harder to follow cargo transfers at sea.

Public registries make it possible to follow these changes, but only if researchers compare records from several countries. No single registry shows the full picture.

We will update this post as new filings appear.
"""), "divs")

page("07_short_update", "Update: convoy reached the city", paras("""
The humanitarian convoy that was stopped at a checkpoint on Tuesday reached the city on Wednesday morning, the organisers said.

All twelve trucks were unloaded at the central hospital and two schools. The organisers said a second convoy is planned for next week if the road remains open.
"""), "article")

page("08_fr_enquete", "Enquête sur un réseau de faux documents", paras("""
Une enquête judiciaire a mis au jour un réseau qui fabriquait de faux documents d'identité pour des membres de groupes criminels, selon le parquet.

Le réseau disposait d'un atelier équipé d'imprimantes professionnelles et de matériel de plastification. Les enquêteurs ont saisi plus de trois cents documents en cours de fabrication.

Selon l'accusation, les faux papiers permettaient à des personnes recherchées de franchir les frontières et d'ouvrir des comptes bancaires sous de fausses identités.

Huit personnes ont été mises en examen. Le parquet n'exclut pas de nouvelles interpellations.
"""), "comments", lang="fr")

out.mkdir(parents=True, exist_ok=True)
for name, (markup, body) in pages.items():
    (out / f"{name}.html").write_text(markup, encoding="utf-8")
    (out / f"{name}.txt").write_text("\n\n".join(body) + "\n", encoding="utf-8")
print(len(pages))
