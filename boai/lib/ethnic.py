"""China's 56 ethnic groups with their GB 3304-1991 codes (01-56), plus the standard's 97 (other,
not identified) and 98 (of foreign origin, naturalised). No maintained package on PyPI or npm
carries this table, so it lives here; a test checks its size and uniqueness."""

from django.utils.translation import get_language

# code, Chinese name, romanised name (GB 3304)
GROUPS = [
    ("01", "汉族", "Han"),
    ("02", "蒙古族", "Mongol"),
    ("03", "回族", "Hui"),
    ("04", "藏族", "Zang"),
    ("05", "维吾尔族", "Uygur"),
    ("06", "苗族", "Miao"),
    ("07", "彝族", "Yi"),
    ("08", "壮族", "Zhuang"),
    ("09", "布依族", "Buyei"),
    ("10", "朝鲜族", "Chosen"),
    ("11", "满族", "Man"),
    ("12", "侗族", "Dong"),
    ("13", "瑶族", "Yao"),
    ("14", "白族", "Bai"),
    ("15", "土家族", "Tujia"),
    ("16", "哈尼族", "Hani"),
    ("17", "哈萨克族", "Kazak"),
    ("18", "傣族", "Dai"),
    ("19", "黎族", "Li"),
    ("20", "傈僳族", "Lisu"),
    ("21", "佤族", "Va"),
    ("22", "畲族", "She"),
    ("23", "高山族", "Gaoshan"),
    ("24", "拉祜族", "Lahu"),
    ("25", "水族", "Sui"),
    ("26", "东乡族", "Dongxiang"),
    ("27", "纳西族", "Naxi"),
    ("28", "景颇族", "Jingpo"),
    ("29", "柯尔克孜族", "Kirgiz"),
    ("30", "土族", "Tu"),
    ("31", "达斡尔族", "Daur"),
    ("32", "仫佬族", "Mulao"),
    ("33", "羌族", "Qiang"),
    ("34", "布朗族", "Blang"),
    ("35", "撒拉族", "Salar"),
    ("36", "毛南族", "Maonan"),
    ("37", "仡佬族", "Gelao"),
    ("38", "锡伯族", "Xibe"),
    ("39", "阿昌族", "Achang"),
    ("40", "普米族", "Pumi"),
    ("41", "塔吉克族", "Tajik"),
    ("42", "怒族", "Nu"),
    ("43", "乌孜别克族", "Uzbek"),
    ("44", "俄罗斯族", "Russ"),
    ("45", "鄂温克族", "Ewenki"),
    ("46", "德昂族", "Deang"),
    ("47", "保安族", "Bonan"),
    ("48", "裕固族", "Yugur"),
    ("49", "京族", "Gin"),
    ("50", "塔塔尔族", "Tatar"),
    ("51", "独龙族", "Derung"),
    ("52", "鄂伦春族", "Oroqen"),
    ("53", "赫哲族", "Hezhen"),
    ("54", "门巴族", "Monba"),
    ("55", "珞巴族", "Lhoba"),
    ("56", "基诺族", "Jino"),
    ("97", "其他未识别民族", "Other (not identified)"),
    ("98", "外国血统中国籍人士", "Of foreign origin"),
]
CODES = {code for code, _zh, _en in GROUPS}


def label(code: str) -> str:
    for c, zh, en in GROUPS:
        if c == code:
            return zh if (get_language() or "zh-hans").startswith("zh") else en
    return code


def choices() -> list[tuple[str, str]]:
    chinese = (get_language() or "zh-hans").startswith("zh")
    return [(c, zh if chinese else en) for c, zh, en in GROUPS]
