//! Field kinds, match qualities and the score table that ranks them; also the
//! posting encoding (doc number in the high bits, field in the low 4 bits).

/// Which part of a customer a token came from. Fits in 4 bits of a posting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub(crate) enum Field {
    FirstName = 0,
    LastName = 1,
    EmailLocal = 2,
    EmailWord = 3,
    EmailDomain = 4,
    EmailLabel = 5,
    Company = 6,
    City = 7,
    Phone = 8,
    PhoneNational = 9,
    Order = 10,
    NameInitials = 11,
    CompanyInitials = 12,
    CityInitials = 13,
    /// The end of a phone number's digits (stored reversed, see `tokenize::tail_key`).
    PhoneSuffix = 14,
}

/// Field weights indexed by `Field as u8`: name and email > company >
/// phone/order > phone suffix, city > initials. Domains weigh like a company because
/// "gmail" says little about who the customer is.
const WEIGHT: [u8; 16] = [10, 10, 10, 9, 6, 6, 7, 4, 5, 5, 5, 2, 2, 2, 4, 0];

impl Field {
    pub(crate) fn weight(self) -> u8 {
        WEIGHT[self as usize]
    }

    pub(crate) fn from_bits(b: u32) -> Field {
        match b & 15 {
            0 => Field::FirstName,
            1 => Field::LastName,
            2 => Field::EmailLocal,
            3 => Field::EmailWord,
            4 => Field::EmailDomain,
            5 => Field::EmailLabel,
            6 => Field::Company,
            7 => Field::City,
            8 => Field::Phone,
            9 => Field::PhoneNational,
            10 => Field::Order,
            11 => Field::NameInitials,
            12 => Field::CompanyInitials,
            13 => Field::CityInitials,
            _ => Field::PhoneSuffix,
        }
    }
}

/// How well a query word matched a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub(crate) enum Quality {
    Exact = 0,
    Prefix = 1,
    Typo1 = 2,
    Typo2 = 3,
    Fuzzy = 4,
}

const QUALITY: [u8; 5] = [10, 7, 4, 3, 1];

/// `SCORES[quality][field]`: per-word score, at most 100 so it fits a `u8`
/// scratch slot and at least 2 for every real field so that 1 can serve as
/// the "candidate, not matched yet" marker.
pub(crate) const SCORES: [[u8; 16]; 5] = {
    let mut t = [[0u8; 16]; 5];
    let mut q = 0;
    while q < 5 {
        let mut f = 0;
        while f < 16 {
            t[q][f] = QUALITY[q] * WEIGHT[f];
            f += 1;
        }
        q += 1;
    }
    t
};

/// Doc numbers must leave 4 bits for the field.
pub(crate) const MAX_DOCS: usize = 1 << 28;

#[inline]
pub(crate) fn posting(doc: u32, field: Field) -> u32 {
    (doc << 4) | field as u32
}

#[inline]
pub(crate) fn posting_doc(p: u32) -> u32 {
    p >> 4
}

#[inline]
pub(crate) fn posting_field(p: u32) -> Field {
    Field::from_bits(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_order_quality_then_field() {
        let s = |q: Quality, f: Field| SCORES[q as usize][f as usize];
        assert!(s(Quality::Exact, Field::LastName) > s(Quality::Prefix, Field::LastName));
        assert!(s(Quality::Prefix, Field::LastName) > s(Quality::Typo1, Field::LastName));
        assert!(s(Quality::Typo2, Field::LastName) > s(Quality::Fuzzy, Field::LastName));
        assert!(s(Quality::Prefix, Field::FirstName) > s(Quality::Prefix, Field::City));
        assert!(s(Quality::Prefix, Field::City) > s(Quality::Prefix, Field::NameInitials));
        for row in &SCORES {
            for &v in &row[..14] {
                assert!((2..=100).contains(&v));
            }
            assert!((2..=100).contains(&row[Field::PhoneSuffix as usize]));
        }
    }

    #[test]
    fn posting_roundtrip() {
        let p = posting(123_456, Field::CityInitials);
        assert_eq!(posting_doc(p), 123_456);
        assert_eq!(posting_field(p), Field::CityInitials);
    }
}
