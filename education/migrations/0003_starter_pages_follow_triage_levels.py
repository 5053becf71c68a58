"""Bring the starter pages that nobody has edited up to date with the levels of ruleset 2026.1.

The starter pages first shipped (loaded by 0002) told families to call the 24-hour line for
symptoms that the triage contract grades ``urgent`` (report in the app; the oncology nurse calls
within 1 hour; the 24-hour line only when nobody has called), and disagreed with it elsewhere.
0002 never touches a page that exists, so installations keep the old text until this runs.

For each starter page, this migration compares the stored body and summary with the pages as
first shipped, through the SHA-256 digests below (kept here, not read from files, so that later
changes to ``starter_content/`` never change which pages it recognises):

- body as first shipped: body, rendered HTML and review dates get the current starter text (as
  0002 gives a new installation), and the summary too when it is also as first shipped;
- body edited by an admin: the page is left exactly as it is, and a warning names it, so that an
  admin can check it against the contract;
- page deleted, or already the current text: nothing happens.

"As first shipped" ignores only what saving an unedited page in the admin changes: line
endings (browsers send CRLF) and whitespace at both ends (form fields are stripped). A later
migration that changes the starter texts again must recognise both the digests below and those
of the texts it replaces. Reversing keeps the new text: the old one is not stored here.
"""

import hashlib
import logging

from django.db import migrations
from django.utils import timezone

logger = logging.getLogger(__name__)

# slug: (SHA-256 of the body, SHA-256 of the summary) of every starter page as first shipped
# with 0002 (commit c83f01a), each text normalised by normalised_text() before hashing.
FIRST_SHIPPED: dict[str, tuple[str, str]] = {
    "immunotherapy": (
        "f5da08fc198710e9d9f4b73c051043d6297c47d3a12f53815b2293941f5080da",
        "7bf2c381ab20b3b083cef1af3bd314c7de6684b8bb5c64f9ec68bc33f3da67f4",
    ),
    "immunotherapy-vi": (
        "e51919f8c1a79205db50d3db97106807adde98a5a814764e9494ef97cb8ec65d",
        "075a1ea8e3cb1f67fd5a1f91ab15a097873c00cf2f15b3c75c25a1c3ea697d33",
    ),
    "when-to-call": (
        "4f90c80b7a4281c8aa47c680133be362795ac02410be92662a05e8141e6ad8b3",
        "1105b196458db75187a3bae7bab011a30dfcea8564f52083c22edbaac6696dc4",
    ),
    "when-to-call-vi": (
        "1d679e66fc74b955a4dadd6651d2c01e4e2f6cbe637aea6f951bcedfcb19a1b9",
        "02acb0de94e10efd529c7d2c1e45ce3f2501acb9f57d63c1fb22b42c7d1ff12e",
    ),
    "diarrhea": (
        "894bad4b77a492cbcdcd0d3eb9fcaa7889bfca268fbb1a87488d8cbd305bd4de",
        "0720b05031d6bc28c590a53d35ec6c0444073925eecf499e15c8b7af8e3a35fd",
    ),
    "diarrhea-vi": (
        "ac50786e3af2fa8cb6e471bec051c3709a059e88b629c4d2f968710d29d02088",
        "e1d659764905ea4a06ecfe9b7e25f00322989f3bf1bd8dc10e21144cd4a46855",
    ),
    "abdominal-pain": (
        "8eb64255b11b1127dcb5817261a48a6afa37af3cbf6c72a84d017ca79ddde095",
        "955e24b8daa9ec765f1f6534b442f8726fd45a1481ce2eb1d7ed206be3526d65",
    ),
    "abdominal-pain-vi": (
        "7bb9de135919a00bc18dd8f254ff58619ae81bb501abd88b8e0af8ab395e256b",
        "d63a6768cc1fa7eb02f094b14a6b2eb8a7b99205df9fc2ae3f973fcb1acbd30a",
    ),
    "rash": (
        "d50b1030e34944f7afb2576a3d78a46396383dea3c78e36ed54b45e2f5298981",
        "b727d5c8e7a7e8a9dba472114e1e08000b549615e7c40d0a5351576be5277743",
    ),
    "rash-vi": (
        "e1c110175e17a6886bf009dd09a15fe05ccf09782f8f8ef0150e8cd88679bf87",
        "e4839f42451425325214bce8f9a4faf583f3ea4b618a696a0abb8505be275b7d",
    ),
    "itching": (
        "175a86061d9f46bcfb64918c25e0f077ce403befab719ce26eb0d457e2de1e68",
        "59866dc024dfcd46506fc3a1408a4f37a32b210f3defbbac388d6548570613f9",
    ),
    "itching-vi": (
        "b1c87c0953fa84097db1fa409a85d47ec8a30d97a0ab328bf6bace1dddb2a1aa",
        "89fb62836ba57a04081800c05e2b8720c47c14321d4feaa3d3bf6aa63d58d3eb",
    ),
    "nosebleed": (
        "c1ddfafcc9acdb67b2e9508e932e5eafaed1ea660e0023ea6c8fe6e4605ce776",
        "dec7d9a2f6aade98a8ee14f8943937a2d96456e0968aeb7511a7177f79b0597d",
    ),
    "nosebleed-vi": (
        "9dfd339baf11f41b8a664fd0d146b41147289a1447d0c260996ddde788096549",
        "283168315530937a2518e30dce11ea65344ba011e58f83508c6bebe7689dc668",
    ),
    "high-blood-pressure": (
        "0db3f745b694db63a37865cece66159e785e4dc72289c15d5b069652481aa980",
        "11d58353a1451bb0749dee532e23051fc59ff641963f19b21e3b08a616155de6",
    ),
    "high-blood-pressure-vi": (
        "2e6c2f159b5be3c2eaafa792cdbbd186c8e84a6bd97b56f30181065e58007ec8",
        "a4fcb50998e95e8b8d0701731e69eb7ddf7e48cb04a7cc696166cd0c8d33e419",
    ),
    "vomiting": (
        "2052e465eade35c777c93e298e8809be66479b1983ade468630fc3e4cd16c764",
        "34fccceddae54a39be04396632493ef08c8c60560a4df7f82b873aa370819d47",
    ),
    "vomiting-vi": (
        "87e100df7905de46a127198cc1b2fa3897c7f93a167415e0cc99d60d85077b46",
        "8f77a4479bcad24ffc0fe33684049985e3b1f84bb55d9a723a9721f6882a786a",
    ),
    "nausea": (
        "d3b65f6b40aadb2e8f77193d42606885f3d3dea959aeb0fde0523b1d820d9c49",
        "5662ba92b0b0c175bc16affdde37b9d2efb82d8b71242c052c87864e5dd199bb",
    ),
    "nausea-vi": (
        "431b1aef294961fbf89ac721a9f23f8a35943456e2c1b6195c6981ff2680c54a",
        "a2269bf3116eb90b8386f69234bbb16fdfa061ffdbe7e35b3bc90447880f9f83",
    ),
    "breathing": (
        "a7d01a8b539826c4a3b39e291e46d18c558f77169ff839210028cd0e8d57c5f8",
        "edacb41c5bfdfc444c10b76f52b814f73ebf7c6ede85acbf4f270e71a040d9ac",
    ),
    "breathing-vi": (
        "72be6505953bacbdbef08f0551e4b455f56fb1501e03190fa686271205034e8b",
        "611a03b82da014ad92b4e07883d78ede3eef5e688fc6f59c4e576eb21312b93a",
    ),
    "liver": (
        "81b250976be316d62ef63109aa11d4eef81c5433a2355c4a34ed06859172ccb8",
        "c33368a2b125a7229346bea9498b7f188edcc3ab857e9d4df9819f34a6ed72a2",
    ),
    "liver-vi": (
        "d0cefcaba2df143f5544872e27844d0a235add755621fe744d20ee3cda90cf5d",
        "0b227b687a7d8ada8cacd2ce7db43fdb7f55e5fe8179d8d22cef7a9a57140b3b",
    ),
    "fever": (
        "9ae4d70678909728bdb97c4a62841c1f72fb2e7b48a26b08dd060d91b4abded7",
        "ce8da1f3e3934ac9d452b223c373c7b1ad3f13cdaccc8e948bdd814d87aa2d54",
    ),
    "fever-vi": (
        "4a0cbece4e736cf753f42862cba9347b9e2eb0b632921e67c9c7baa2ecbd4571",
        "fdfe01a6ba8e2eb63eb0220db6b29b84d7ab71ee4a2b8a9f87b24c22f8dfae5b",
    ),
    "fatigue": (
        "78ed2adab5629641a4927482c664e91fdfbcf2b420cadca974b5c78fdd770f3b",
        "492b2efae660f5339b4cf1898e0b83ad74e1e73975d9f741d61efed8f9ef1554",
    ),
    "fatigue-vi": (
        "692c128c82a9c2457f4493a2ebaf36eb0182b08183fef4c607a139840ced41a6",
        "f634597d94fd8b1cd88cb70fe9ab70dbfbe17f42fa9181cc2f66c6aafd447a74",
    ),
    "headache-or-vision": (
        "8021a3373ae159ada77ad1ff905f5a312a5943d04003d7d402d27e7f541edbd9",
        "01fbf1f8974ed1e013d4b6f84132853c5d4bb65c4133bbf6c1e6656935f3f7af",
    ),
    "headache-or-vision-vi": (
        "72b30eb41b4dd125a856390cfd2911bc7679236424e45d28a94e641f80ed5279",
        "b9442032abbc3b7c226e9f066569c71d4cc055ec68d46cfd845ef2355ab540bd",
    ),
    "thirst-or-urination": (
        "167e78ca492d3a2ea7877382fe59e4f8e891518b364320cf645914f9403bb531",
        "b6f5a5d7f99d8563f5ac43d76c3d0ca0ab920fe57f049b785661526bce8151b3",
    ),
    "thirst-or-urination-vi": (
        "3e8c3cac1b6d619658a53db47dd81c98eef0eada7e261d369afbc9751ae821ee",
        "5f3ae56c55548b7cb8c9a3f4f599ebc87540e8b27472474c167339a3db28fb30",
    ),
    "nerves-or-muscles": (
        "45227162927b0202a43c9b93eed1c14a8195947a293e76eea060c4ecd2110099",
        "89dd7af81b96a67d73baf0ae9d36085efbb47585124d80438f8c897175e5a22b",
    ),
    "nerves-or-muscles-vi": (
        "527944433170a3ea58170231a9a1ea95e916b003d1ebaae2c6ba1af7b7780069",
        "53a447b5112b06ec6ac17acd52b8317d0b015d0c5a795b8cfcbeeb66ac474d78",
    ),
    "chest-or-heart": (
        "ec7c5cd662fc329830d81ad1dbf102a070e00915cdf7f914d66713d7c4ad50fb",
        "7472cc86d3ac655f5075044c912a9f1e20a4c9f5f7874564c71f91966ca55865",
    ),
    "chest-or-heart-vi": (
        "8c524a3cec55f5d15eecb199b09ce38d6ecdb94bdb43c23007a5b9a12a7f07ad",
        "2454093a87fce5d85dd3fa2ac30ce683418d6f4c041d32b305136b9e98053cc4",
    ),
    "joint-or-muscle-pain": (
        "d9d77ec25c057322bf869016e3f9692fd90f5966d91558a25c5f7ab9b86489a6",
        "7bd4786668d7b7b69413af4ad434d7c2531b8d934929f9d0fcae1421d3488a1f",
    ),
    "joint-or-muscle-pain-vi": (
        "0f77d4b39222eca6046180ced0618e31be931b012ee33f501f34bcdf984e66bc",
        "a7a8f2a4093992afd34ebfdade5cf03c09fd9146cd48982f22881eecc6d71de6",
    ),
    "urine": (
        "27efa56193b3ebdc7783a3bdc6c209500756b317b3755c50d46cb1f9efa6fb2f",
        "3a40ad3528a46b882036bfeeea26b073845bbcccddd0204fbe792a34490e18bb",
    ),
    "urine-vi": (
        "c5951449a1f0bbdabb5fc6679c27ddc6e0c816ab33094acd464fcbb1ee88e681",
        "a248676e8444a3de3566e041f616a9b7c9f93833eecd033079a7ac702db5862f",
    ),
    "hand-foot-skin": (
        "006cce255626ab21a61efe9e1897447d2e25f067577f448c123e09ffc6ad1d8e",
        "e6cb790139ec97b601385d7b9c122dc3c950c75c277bbf3127a1e3f48a19e887",
    ),
    "hand-foot-skin-vi": (
        "77a92e168a9463c2851ee899c645e51f8e15f731463c6dfcb2d667e9aaa3af0b",
        "51635ee145434285ad065fea51fb74b1b160a80ea5fb75bd7e9fa2226be8a1cd",
    ),
    "bleeding": (
        "8abfb9710a47867b95f5cdc5bfd1dd9a142c4e067f93112ace0a38a36f6eebe7",
        "3946499e849f6996fcdfc3d672d1854f0dd4fa1a1fa873e1bcc8d9621ce6f4ed",
    ),
    "bleeding-vi": (
        "b74f2a3df644f3defa341d78cb8f456da377dbff19024a7e6d3ecfa120969a09",
        "1613d109205d4952131b36307078b0a8bd80e9c8bd0a2181665e008f296e7f63",
    ),
    "other-symptoms": (
        "ece9b8168363d41c853c35cf3ff433e347f65a89af61a233f9ef2de730f98479",
        "9602064fbc0c88b6b1d6b3c31bf5e536910b641b6a16b6b53508ed67102dd3e7",
    ),
    "other-symptoms-vi": (
        "88314cfd7e3ca21f3544db5b8ea8e22cb6ca3064ac9b1e9e7ad17ebfedb58abb",
        "ded2a686eb94afb393cf98ad82127a8d01424884042144ea4fd99f0cedc91178",
    ),
}


def normalised_text(text):
    """``text`` without what saving it unedited in the admin may change (CRLF, outer spaces)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def digest(text):
    return hashlib.sha256(normalised_text(text).encode("utf-8")).hexdigest()


def update_unedited_pages(article_model, today):
    """Give each starter page still as first shipped the current text; the slugs updated."""
    from education.rendering import render_markdown
    from education.starter import read_starter_pages, twelve_months_after

    updated = []
    for page in read_starter_pages():
        shipped = FIRST_SHIPPED.get(page.slug)
        article = article_model.objects.filter(slug=page.slug).first()
        if shipped is None or article is None:
            continue
        body_digest, summary_digest = shipped
        body_is_current = normalised_text(article.body) == normalised_text(page.body)
        if digest(article.body) != body_digest:
            if not body_is_current:
                logger.warning(
                    "Starter page %r was edited after it was shipped, so it was not updated: "
                    "check it against the triage levels of ruleset 2026.1.",
                    page.slug,
                )
            continue
        fields = {}
        if not body_is_current:
            fields["body"] = page.body
            # Historical models have no custom save(): render here, as Article.save() would.
            fields["body_html"] = render_markdown(page.body)
        if digest(article.summary) == summary_digest and article.summary != page.summary:
            fields["summary"] = page.summary
        if not fields:
            continue
        fields["last_reviewed"] = today
        fields["next_review_due"] = twelve_months_after(today)
        for name, value in fields.items():
            setattr(article, name, value)
        article.save(update_fields=[*fields, "updated_at"])
        updated.append(page.slug)
    return updated


def forwards(apps, schema_editor):
    update_unedited_pages(apps.get_model("education", "Article"), timezone.localdate())


class Migration(migrations.Migration):
    dependencies = [("education", "0002_starter_content")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
