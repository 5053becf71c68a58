"""Fill the search columns of the pages that exist, and give the search its first synonyms.

Historical models have no custom save(), so the columns are computed here as Article.save()
does. A later data migration that changes page text must do the same. The synonym groups are
a start for the starter pages; admins edit them under "Search synonym groups". Running again
adds only the groups that are missing; reversing keeps them (they may have been edited).
"""

from django.db import migrations

# Each line: words and phrases that mean the same to the search, in both languages.
STARTER_SYNONYMS = (
    "tiêu chảy, ỉa chảy, đi ngoài, đi lỏng, phân lỏng, diarrhoea, diarrhea, loose stools",
    "sốt, nóng sốt, sốt cao, nhiệt độ, fever, high temperature, temperature",
    "ho, ho khan, cough, coughing",
    "khó thở, hụt hơi, thở dốc, breathless, breathlessness, shortness of breath, short of breath",
    "phát ban, nổi ban, nổi mẩn, mẩn đỏ, rash, skin rash",
    "ngứa, ngứa ngáy, itch, itching, itchy",
    "mệt, mệt mỏi, uể oải, kiệt sức, fatigue, tired, tiredness, exhausted",
    "vàng da, vàng mắt, jaundice, yellow skin, yellow eyes",
    "buồn nôn, nausea, nauseous, feeling sick",
    "nôn, ói, nôn mửa, vomiting, vomit, throwing up",
    "đau bụng, đau quặn, belly pain, abdominal pain, stomach ache, tummy ache, cramps",
    "chảy máu cam, nosebleed, nose bleed",
    "chảy máu, xuất huyết, bầm tím, bleeding, bruising, bruise",
    "tăng huyết áp, cao huyết áp, huyết áp cao, high blood pressure, hypertension",
    "đau đầu, nhức đầu, headache",
    "chóng mặt, hoa mắt, dizzy, dizziness",
    "nhìn mờ, mờ mắt, blurred vision",
    "đau khớp, joint pain, aching joints",
    "đau cơ, nhức mỏi cơ, muscle pain, aching muscles",
    "tê bì, tê tay, tê chân, numbness, numb, tingling, pins and needles",
    "đau ngực, tức ngực, chest pain",
    "tim đập nhanh, hồi hộp, racing heart, palpitations",
    "ngất, xỉu, fainting, faint",
    "khát nhiều, khát nước, very thirsty, thirst",
    "tiểu nhiều, đi tiểu nhiều, passing urine often",
    "phù chân, sưng chân, swollen legs, swollen ankles",
    "liệu pháp miễn dịch, thuốc miễn dịch, immunotherapy",
    "hóa trị, chemotherapy, chemo",
)


def forwards(apps, schema_editor):
    from education.textsearch import search_text

    article_model = apps.get_model("education", "Article")
    pages = list(article_model.objects.all())
    for page in pages:
        page.search_title = search_text(page.title)
        page.search_summary = search_text(page.summary)
        page.search_body = search_text(page.body)
    article_model.objects.bulk_update(
        pages, ["search_title", "search_summary", "search_body"], batch_size=200
    )
    synonym_model = apps.get_model("education", "SynonymGroup")
    existing = set(synonym_model.objects.values_list("terms", flat=True))
    synonym_model.objects.bulk_create(
        synonym_model(terms=terms) for terms in STARTER_SYNONYMS if terms not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("education", "0006_unaccent_extension")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
