import Foundation

extension DemoContent {
    /// The demo card's face: wallet-core/tests/data/portrait/astronaut-80x100-q30-grey.jpg
    /// (80×100, greyscale JPEG, 1,179 bytes; a crop of scikit-image's `astronaut`, a NASA
    /// photograph in the public domain, see that folder's README), byte for byte, so the demo
    /// shows a card's photo without an asset in the app. Small enough that the card's code
    /// (about 1,900 Base45 characters) fits one QR code.
    static let cardFaceJpeg = Data(base64Encoded: """
        /9j/4AAQSkZJRgABAgAAAQABAAD/wAALCABkAFABABEA/9sAQwAbEhQXFBEbFxYXHhwbIChCKyglJShROj0wQmBVZWRfVV1b
        aniZgWpxkHNbXYW1hpCeo6utq2eAvMm6pseZqKuk/9sAQwEcHh4oIyhOKytOpG5dbqSkpKSkpKSkpKSkpKSkpKSkpKSkpKSk
        pKSkpKSkpKSkpKSkpKSkpKSkpKSkpKSkpKSk/8QAGgAAAgMBAQAAAAAAAAAAAAAABAUCAwYAAf/EADIQAAICAQMCBQIFAgcA
        AAAAAAECAAMRBBIhBTETIkFRYRRxFSOBkcFioQYkMkOCseH/2gAIAQAAAD8AOUcyclt9Z6TgSBYAZJAEil1bNgMJepDDykH7
        TwzzM7vIquJILOPHeLdf1IU2rTWRlu7SNYLnO0sf6jmGhgEwSoPsYHYxVy1Tc/0mW0a5iwW4f8oaCGAKnIPrPRIZnPaK1LMe
        BFt2tZ7centKtRTW9oucqdo7S6tkGAGIHt3lz7mXHlI+RKGStQcjbn2GBAheq2lScljjv/eMek6nNj6dzyOV/mM8YlEE6i5W
        tD6boG4VE8XOfiWpltOLGTIPrIKm08A47y43oo5HEhfrF8PY2CIsXaXLEtnPGIVo3FWtpsOCS2P34mkyIPiB9UbZps443RS9
        viIAp4EeaZko0yLY6IAMeaEUW0W/6QjA+qztRXpwuHQRXrdDTahaoYI9mB/tFFm6m4ISSDz7S2sb7EXncWAHE1LEdpWJC+hd
        RS1bdj6+0RfRXU6sI443dx2M0S6euxBuGeMSK6dKSu0cDt8SFgFmpG7kYlD9PRATWcebOYm6nWF1C4ML6TQ9ur8b/aQfucRy
        V5nASajmc9YbuAfvK0tdK/KuTPQHI4w5PfmDag2eKCKyuPWWvdmkk4zF46adbarsWVB3PvG9dSU1hK1CqOwElIAYGT2guo6l
        p9N3IP6wJ/8AEdYPlTI/WMdBet9KuBgMM4lqVpWx8i4PPaD6mtLSF2cevJnakqK1qQc9sCF0r4dKp7DmTnERT1jW+BRhOSe3
        yZnES3U2ksST3Zj6CVsFUkZJxNX0ld/Taip5UQr6qtBttO1vntB9Rq6sYrIY/Eq0tg+pRrWwOcZjbHGR2nk4zOaqr6padnsA
        PvjH8TzqNK6LTJp6Qd3dz6n7xNt55hOk1+o0hPg2FQe47iF/jeoI/MSp/usj+LKAcaYA/DcQTU62y9lPCbTkbY26R1hgRTec
        +00AIZQynIPYyW2ZjSWFX2sCMnemfXPeMrKK9YpYttsIwCTx+szup0r6dz4gxg4wYMO8lIzyWKrFQ69x7TS9E1+9Ajng8fY/
        +xxmZi9QagjNteogq3usnTb4iMpBKkcj+ZHqimyhWRN4AA35+YmAOZ6ZGeYycCMKtM1QwWBbGcD49P2zCdNWaXYqfKVyPuDi
        aOi4XVK6kcjJHtE1qg2gfOYpDtTYNjH0MM8VlrRxj8wlWXHB/SejQ0vqUrO7DZyQeYHr1WotWoG0HA4lFNSumTnM56lW1FBO
        GxmOVpRHCqOAJ2f8qh9y3/cu0zMtaEEgz//Z
        """, options: .ignoreUnknownCharacters)!
}
