//! Inflected, cliticised and particle forms across languages: each row is
//! a sentence written for the test, the surface that must be found, the
//! entity it names and how it matched. Offsets are checked in all three
//! units.

use gazetteer::resolve::{resolve, MatchKind, ResolveOptions};

use crate::common::{assert_offsets, describe, index};

const TEHRAN: &str = "geonames:112931";
const MOSCOW: &str = "geonames:524901";
const KYIV: &str = "geonames:703448";
const MINSK: &str = "geonames:625144";
const LVIV: &str = "geonames:702550";
const KHARKIV: &str = "geonames:706483";
const SYRIA: &str = "geonames:163843";
const UKRAINE: &str = "geonames:690791";
const BELARUS: &str = "geonames:630336";
const FRANCE: &str = "geonames:3017382";
const GERMANY: &str = "geonames:2921044";
const BAKU: &str = "geonames:587084";
const YEREVAN: &str = "geonames:616052";
const TBILISI: &str = "geonames:611717";
const WARSAW: &str = "geonames:756135";
const ANKARA: &str = "geonames:323786";
const ISTANBUL: &str = "geonames:745044";
const LONDON: &str = "geonames:2643743";
const CAIRO: &str = "geonames:360630";
const DAMASCUS: &str = "geonames:170654";
const BAGHDAD: &str = "geonames:98182";
const BEIRUT: &str = "geonames:276781";
const KABUL: &str = "geonames:1138958";
const ISFAHAN: &str = "geonames:418863";
const SHIRAZ: &str = "geonames:115019";
const JERUSALEM: &str = "geonames:281184";
const PARIS: &str = "geonames:2988507";
const BERLIN: &str = "geonames:2950159";
const GYUMRI: &str = "geonames:616635";
const BATUMI: &str = "geonames:615532";
const KUTAISI: &str = "geonames:613607";
const SEOUL: &str = "geonames:1835848";
const BUSAN: &str = "geonames:1838524";
const PYONGYANG: &str = "geonames:1871859";
const TOKYO: &str = "geonames:1850147";
const OSAKA: &str = "geonames:1853909";
const VIENNA: &str = "geonames:2761369";
const MUNICH: &str = "geonames:2867714";
const ARMENIA: &str = "geonames:174982";
const IRAQ: &str = "geonames:99237";
const LEBANON: &str = "geonames:272103";
const EGYPT: &str = "geonames:357994";
const ALGERIA: &str = "geonames:2589581";
const RUSSIA: &str = "geonames:2017370";

use MatchKind::{Alias, Inflected};

/// (sentence, surface that must be a mention, entity id, match kind).
type Row = (&'static str, &'static str, &'static str, MatchKind);

fn check(language: &str, rows: &[Row], hints: &[&str]) {
    let options = ResolveOptions {
        languages: hints.iter().map(|h| h.to_string()).collect(),
        ..ResolveOptions::default()
    };
    let mut failures = Vec::new();
    for &(text, surface, id, kind) in rows {
        let mentions = resolve(&index(), text, &options).expect("resolves");
        match mentions.iter().find(|m| m.surface == surface) {
            Some(m) if m.entity.id == id && m.match_kind == kind => assert_offsets(text, m),
            _ => failures.push(format!(
                "{text:?}: want {surface:?} → {id} ({kind:?}); got {:?}",
                describe(&mentions)
            )),
        }
    }
    assert!(failures.is_empty(), "{language}:\n{}", failures.join("\n"));
}

#[test]
fn russian_cases() {
    check(
        "ru",
        &[
            (
                "Переговоры прошли в Тегеране.",
                "Тегеране",
                TEHRAN,
                Inflected,
            ),
            (
                "Делегация вылетела из Москвы утром.",
                "Москвы",
                MOSCOW,
                Inflected,
            ),
            ("Он вернулся в Москву.", "Москву", MOSCOW, Inflected),
            ("Встреча под Москвой.", "Москвой", MOSCOW, Inflected),
            ("Беженцы из Сирии.", "Сирии", SYRIA, Inflected),
            ("Посол Франции заявил.", "Франции", FRANCE, Inflected),
            ("Канцлер Германии прибыл.", "Германии", GERMANY, Inflected),
            ("Рейс до Варшавы отменён.", "Варшавы", WARSAW, Inflected),
            (
                "Министр побывал в Ереване и Тбилиси.",
                "Ереване",
                YEREVAN,
                Inflected,
            ),
            ("Саммит в Берлине.", "Берлине", BERLIN, Inflected),
            ("Самолёт из Баку.", "Баку", BAKU, Alias),
            ("Новости из Анкары.", "Анкары", ANKARA, Inflected),
        ],
        &[],
    );
}

#[test]
fn ukrainian_cases() {
    check(
        "uk",
        &[
            ("Зустріч відбулася у Києві.", "Києві", KYIV, Inflected),
            ("Делегація з Києва прибула.", "Києва", KYIV, Inflected),
            ("Фестиваль у Львові.", "Львові", LVIV, Inflected),
            ("Потяг до Львова.", "Львова", LVIV, Inflected),
            ("Новини з Харкова.", "Харкова", KHARKIV, Inflected),
            ("У Харкові тихо.", "Харкові", KHARKIV, Inflected),
            ("Уряд України заявив.", "України", UKRAINE, Inflected),
            ("Посли в Україні.", "Україні", UKRAINE, Inflected),
            ("Київ прийняв гостей.", "Київ", KYIV, Alias),
            ("Переговори в Тегерані.", "Тегерані", TEHRAN, Inflected),
        ],
        &[],
    );
}

#[test]
fn belarusian_cases() {
    check(
        "be",
        &[
            ("Сустрэча ў Мінску.", "Мінску", MINSK, Inflected),
            ("Дэлегацыя з Мінска.", "Мінска", MINSK, Inflected),
            ("Мінск чакае гасцей.", "Мінск", MINSK, Alias),
            ("Навіны з Масквы.", "Масквы", MOSCOW, Inflected),
            (
                "Прэзідэнт Беларусі выступіў.",
                "Беларусі",
                BELARUS,
                Inflected,
            ),
        ],
        &[],
    );
}

#[test]
fn turkish_and_azerbaijani_suffixes() {
    check(
        "tr/az",
        &[
            ("Görüşmeler Tahran'da yapıldı.", "Tahran", TEHRAN, Alias),
            ("Heyet Moskova'dan döndü.", "Moskova", MOSCOW, Alias),
            (
                "Toplantı Ankara'da başladı.",
                "Ankara",
                ANKARA,
                MatchKind::Exact,
            ),
            // The primary name is "Istanbul": equal after case folding.
            (
                "Bakan İstanbul'a gitti.",
                "İstanbul",
                ISTANBUL,
                MatchKind::Normalized,
            ),
            ("Görüş Bakıda keçirildi.", "Bakıda", BAKU, Inflected),
            (
                "Nümayəndə heyəti Bakıdan getdi.",
                "Bakıdan",
                BAKU,
                Inflected,
            ),
            ("Bakının küçələri.", "Bakının", BAKU, Inflected),
            ("Bakıya qayıtdı.", "Bakıya", BAKU, Inflected),
            ("Londra'da yağmur yağıyor.", "Londra", LONDON, Alias),
            ("Tahranda görüşme oldu.", "Tahranda", TEHRAN, Inflected),
        ],
        &[],
    );
}

#[test]
fn arabic_proclitics() {
    check(
        "ar",
        &[
            ("عقد الاجتماع بطهران أمس", "طهران", TEHRAN, Inflected),
            ("زار الوزير القاهرة ودمشق", "دمشق", DAMASCUS, Inflected),
            ("وصل الوفد إلى القاهرة", "القاهرة", CAIRO, Alias),
            ("مباحثات في بغداد وبيروت", "بيروت", BEIRUT, Inflected),
            ("الوفد وصل لبغداد", "بغداد", BAGHDAD, Inflected),
            ("عاد الى طهران", "طهران", TEHRAN, Alias),
            ("من بيروت إلى دمشق", "دمشق", DAMASCUS, Alias),
            ("وطهران ترحب", "طهران", TEHRAN, Inflected),
        ],
        &[],
    );
}

#[test]
fn persian_endings_and_zwnj() {
    check(
        "fa",
        &[
            ("نشست در تهران برگزار شد", "تهران", TEHRAN, Alias),
            ("خیابان‌های تهران", "تهران", TEHRAN, Alias),
            ("سفر به کابل", "کابل", KABUL, Alias),
            ("مردم اصفهان", "اصفهان", ISFAHAN, Alias),
            ("شیراز شهر زیبایی است", "شیراز", SHIRAZ, Alias),
            ("تهرانی‌ها آمدند", "تهرانی", TEHRAN, Inflected),
            ("شهرهای مسکو و تهران", "مسکو", MOSCOW, Alias),
        ],
        &[],
    );
}

#[test]
fn hebrew_prefixes() {
    check(
        "he",
        &[
            ("הפגישה התקיימה בטהרן", "טהרן", TEHRAN, Inflected),
            ("השגריר חזר ממוסקבה", "מוסקבה", MOSCOW, Inflected),
            ("ביקור בירושלים", "ירושלים", JERUSALEM, Inflected),
            ("טיסה לפריז", "פריז", PARIS, Inflected),
            ("ובברלין ירד גשם", "ברלין", BERLIN, Inflected),
            ("טהרן הגיבה", "טהרן", TEHRAN, Alias),
            ("כנס בלונדון", "לונדון", LONDON, Inflected),
        ],
        &[],
    );
}

#[test]
fn armenian_cases() {
    check(
        "hy",
        &[
            ("Հանդիպումը Երևանում էր", "Երևանում", YEREVAN, Inflected),
            ("Նա եկավ Երևանից", "Երևանից", YEREVAN, Inflected),
            ("Երևանի փողոցները", "Երևանի", YEREVAN, Inflected),
            ("Գյումրիում անձրև է", "Գյումրիում", GYUMRI, Inflected),
            ("Թեհրանում բանակցություններ", "Թեհրանում", TEHRAN, Inflected),
            ("Փարիզից լուրեր", "Փարիզից", PARIS, Inflected),
            ("Երևան քաղաք", "Երևան", YEREVAN, Alias),
        ],
        &[],
    );
}

#[test]
fn georgian_cases() {
    check(
        "ka",
        &[
            ("შეხვედრა თბილისში გაიმართა", "თბილისში", TBILISI, Inflected),
            ("ის თბილისიდან წავიდა", "თბილისიდან", TBILISI, Inflected),
            ("თბილისის ქუჩები", "თბილისის", TBILISI, Inflected),
            ("ბათუმში ზღვაა", "ბათუმში", BATUMI, Inflected),
            ("ქუთაისში წვიმს", "ქუთაისში", KUTAISI, Inflected),
            ("თეირანში მოლაპარაკებები", "თეირანში", TEHRAN, Inflected),
            ("თბილისი დიდი ქალაქია", "თბილისი", TBILISI, Alias),
        ],
        &[],
    );
}

#[test]
fn korean_particles_stay_outside_the_span() {
    check(
        "ko",
        &[
            ("테헤란에서 회담이 열렸다", "테헤란", TEHRAN, Inflected),
            ("서울은 맑다", "서울", SEOUL, Inflected),
            ("부산으로 갔다", "부산", BUSAN, Inflected),
            ("평양의 발표", "평양", PYONGYANG, Inflected),
            ("모스크바와 서울", "모스크바", MOSCOW, Inflected),
            ("도쿄에 도착했다", "도쿄", TOKYO, Inflected),
            ("서울 시내", "서울", SEOUL, Alias),
        ],
        &[],
    );
}

#[test]
fn japanese_particles_are_separate_characters() {
    check(
        "ja",
        &[
            ("テヘランで会談が行われた", "テヘラン", TEHRAN, Alias),
            ("モスクワから帰国した", "モスクワ", MOSCOW, Alias),
            ("東京に到着", "東京", TOKYO, Alias),
            ("大阪の天気", "大阪", OSAKA, Alias),
            ("パリへ向かう", "パリ", PARIS, Alias),
        ],
        &[],
    );
}

#[test]
fn german_genitive() {
    check(
        "de",
        &[
            (
                "Die Straßen Moskaus waren leer.",
                "Moskaus",
                MOSCOW,
                Inflected,
            ),
            (
                "Die Regierung Frankreichs erklärte.",
                "Frankreichs",
                FRANCE,
                Inflected,
            ),
            (
                "Die Außenpolitik Russlands.",
                "Russlands",
                RUSSIA,
                Inflected,
            ),
            ("Die Museen Wiens sind berühmt.", "Wiens", VIENNA, Inflected),
            (
                "Der Bürgermeister Berlins sprach.",
                "Berlins",
                BERLIN,
                Inflected,
            ),
            ("Gespräche in Teheran.", "Teheran", TEHRAN, Alias),
            ("Der Flughafen Münchens.", "Münchens", MUNICH, Inflected),
        ],
        &["de"],
    );
}

#[test]
fn french_elision() {
    check(
        "fr",
        &[
            (
                "Le ministre de l'Arménie a parlé.",
                "Arménie",
                ARMENIA,
                Alias,
            ),
            ("Les troupes quittent l’Irak.", "Irak", IRAQ, Alias),
            ("La crise au Liban continue.", "Liban", LEBANON, Alias),
            ("Le président de l'Égypte.", "Égypte", EGYPT, Alias),
            ("Le gouvernement d'Algérie.", "Algérie", ALGERIA, Alias),
            ("La Syrie et l'Irak.", "Syrie", SYRIA, Alias),
        ],
        &[],
    );
}

#[test]
fn names_with_unrelated_endings_are_not_inflections() {
    // English text gets no Latin endings without a language signal.
    let mentions = resolve(
        &index(),
        "The Parises of this world.",
        &ResolveOptions::default(),
    )
    .expect("resolves");
    assert!(
        mentions.iter().all(|m| m.entity.id != PARIS),
        "{:?}",
        describe(&mentions)
    );
}
